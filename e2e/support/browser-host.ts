// Starts the real browser-mode host (`tether web`, built) in a child process with its own data
// dir, and reads the address it prints. Stopping it is a real process exit, so a restart test
// restarts the whole host.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export const ROOT = join(import.meta.dirname, '..', '..')
const CLI = join(ROOT, 'out', 'main', 'cli.js')

export interface BrowserHost {
  url: string
  origin: string
  dataDir: string
  /** Everything the host wrote to stderr, for failure reports. */
  stderr: () => string
  stop(signal?: NodeJS.Signals): Promise<void>
}

/** A scratch folder for one test: `path` is the data dir (TETHER_HOME), `folder` holds it and the repos. */
export async function makeDataDir(): Promise<{ path: string; folder: string; dispose: () => Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), 'tether-e2e-'))
  return { path: join(folder, 'data'), folder, dispose: () => rm(folder, { recursive: true, force: true }) }
}

export async function startBrowserHost(dataDir: string, env: Record<string, string> = {}): Promise<BrowserHost> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'web', '--port', '0'], {
    env: { ...process.env, TETHER_HOME: dataDir, OPENAI_API_KEY: '', XAI_API_KEY: '', TETHER_API_KEY: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let errors = ''
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    const timer = setTimeout(() => reject(new Error(`tether web printed no address in 15 s\n${errors}`)), 15_000)
    lines.once('line', (line) => {
      clearTimeout(timer)
      resolve(line.trim())
    })
    child.once('exit', (code) => reject(new Error(`tether web exited with ${code}\n${errors}`)))
  })
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    stderr: () => errors,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    }
  }
}
