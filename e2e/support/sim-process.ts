// The sim as a separate process (`tether sim`), as a person would run it next to Tether.
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { ROOT } from './browser-host'

export interface SimProcess {
  baseUrl: string
  /** The sim's process id, for measuring its own CPU time. */
  pid: number
  stop(): Promise<void>
}

export interface SimLaunch {
  /** A built-in scenario name, or a scenario object written to `folder` first. */
  scenario: string | object
  folder: string
  tokenIntervalMs?: number
  ttftMs?: number
}

export async function startSimProcess(launch: SimLaunch): Promise<SimProcess> {
  const scenario = typeof launch.scenario === 'string' ? launch.scenario : join(launch.folder, 'scenario.json')
  if (typeof launch.scenario !== 'string') await writeFile(scenario, JSON.stringify(launch.scenario))
  const args = [join(ROOT, 'out', 'main', 'cli.js'), 'sim', '--scenario', scenario]
  if (launch.tokenIntervalMs !== undefined) args.push('--token-interval-ms', String(launch.tokenIntervalMs))
  if (launch.ttftMs !== undefined) args.push('--ttft-ms', String(launch.ttftMs))
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let errors = ''
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const baseUrl = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(line.trim()))
    child.once('exit', (code) => reject(new Error(`tether sim exited with ${code}: ${errors}`)))
  })
  return {
    baseUrl,
    pid: child.pid ?? 0,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    }
  }
}
