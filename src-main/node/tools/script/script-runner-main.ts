// Entry of the script runner: a plain Node child of the tool host (started with
// --no-node-snapshot, inside the sandbox), so a V8 abort in an isolate takes down only itself.
import { serveChannel } from '../channel/serve-channel'
import { IsolateRunner } from './isolate-runner'
import type { ScriptChannel } from './script-protocol'

const DEFAULT_MEMORY_MB = Number(process.env.TETHER_SCRIPT_MEMORY_MB ?? '64')
const runner = new IsolateRunner(DEFAULT_MEMORY_MB)

runner.prepare()
serveChannel<ScriptChannel>((job, { signal }) => {
  signal.addEventListener('abort', () => runner.cancel(job.jobId), { once: true })
  return runner.run(job, signal)
})
