// Entry of the script runner: a plain Node child of the tool host (started with
// --no-node-snapshot, inside the sandbox), so a V8 abort in an isolate takes down only itself.
import { assertNever } from '../../../common/run/records'
import { IsolateRunner } from './isolate-runner'
import type { RunnerEvent, RunnerRequest } from './script-protocol'

const DEFAULT_MEMORY_MB = Number(process.env.TETHER_SCRIPT_MEMORY_MB ?? '64')
const runner = new IsolateRunner(DEFAULT_MEMORY_MB)

function send(event: RunnerEvent): void {
  process.send?.(event)
}

process.on('message', (request: RunnerRequest) => {
  switch (request.type) {
    case 'run':
      void runner.run(request.job).then((report) => send({ type: 'finished', jobId: request.job.jobId, report }))
      return
    case 'cancel':
      runner.cancel(request.jobId)
      return
    default:
      assertNever(request, 'runner request')
  }
})
process.on('disconnect', () => process.exit(0))
runner.prepare()
send({ type: 'ready' })
