// A real run for driver tests: the sim as the model server, the sandboxed tool runtime, a data
// dir and a workspace on disk. Only the person is scripted (the gate).
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { startSim, type SimOptions, type SimServer } from '../../../sim'
import { foldRecords } from '../../common/run/reduce'
import type { RunState } from '../../common/run/state'
import { DataDir } from '../../node/store/data-dir'
import { readRunLog } from '../../node/store/run-log-reader'
import { SandboxedToolRuntime } from '../../node/tools/sandboxed-tool-runtime'
import type { ToolGate } from '../../node/driver/tool-gate'
import { RunDriver } from '../../node/driver/run-driver'
import type { DriverServices, RunChoices } from '../../node/driver/driver-options'

/** A test's services and choices in one bag; the fixture hands them to the driver apart. */
export type DriverSetup = DriverServices & RunChoices

// Under /var/tmp, not /tmp: inside the sandbox /tmp is the run's own directory.
const SCRATCH_ROOT = '/var/tmp'

export function scratch(prefix: string): string {
  mkdirSync(SCRATCH_ROOT, { recursive: true })
  return realpathSync(mkdtempSync(join(SCRATCH_ROOT, `tether-run-${prefix}-`)))
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), content)
  }
}

/** The person in these tests says yes to everything the policy lets through to them. */
export const ALLOW_ALL: ToolGate = { authorize: async () => ({ allowed: true }) }

export interface DriverFixture {
  sim: SimServer
  tools: SandboxedToolRuntime
  dataDir: DataDir
  workspace: string
  services(overrides?: Partial<DriverSetup>): DriverServices
  start(task: string, overrides?: Partial<DriverSetup>, workspace?: string): Promise<RunDriver>
  /** Another workspace with the same files, for many runs on one server. */
  newWorkspace(): string
  reload(driver: RunDriver): Promise<RunState>
  read(path: string, workspace?: string): string
  cleanup(): Promise<void>
}

export async function driverFixture(sim: SimOptions, files: Record<string, string> = {}): Promise<DriverFixture> {
  const root = scratch('run')
  let workspaces = 0
  const newWorkspace = (): string => {
    const path = join(root, `workspace-${workspaces++}`)
    mkdirSync(path)
    writeFiles(path, files)
    return path
  }
  const workspace = newWorkspace()
  const dataDir = new DataDir(join(root, 'data'))
  const server = await startSim({ idTag: 'test', ...sim })
  const tools = new SandboxedToolRuntime({ dataDir: dataDir.root, scratchDir: root })
  const setup = (overrides: Partial<DriverSetup> = {}): DriverSetup => ({
    provider: { name: 'custom', baseUrl: server.baseUrl, apiKey: 'test-key' },
    model: 'sim-model',
    transport: 'ws',
    store: false,
    instructions: 'You are a test agent.',
    approvalMode: 'auto-in-sandbox',
    networkAllowlist: [],
    unsandboxed: false,
    tools,
    gate: ALLOW_ALL,
    recovery: { backoff: { baseMs: 1, capMs: 5, random: () => 0.5 } },
    ...overrides
  })
  return {
    sim: server,
    tools,
    dataDir,
    workspace,
    services: (overrides) => setup(overrides),
    start: (task, overrides, where = workspace) => {
      const { model, transport, store, instructions, approvalMode, networkAllowlist, ...services } = setup(overrides)
      return RunDriver.start(dataDir, where, task, services, { model, transport, store, instructions, approvalMode, networkAllowlist })
    },
    newWorkspace,
    reload: async (driver) => foldRecords((await readRunLog(driver.logPath)).records),
    read: (path, where = workspace) => readFileSync(join(where, path), 'utf8'),
    async cleanup() {
      await tools.close()
      await server.stop()
      rmSync(root, { recursive: true, force: true })
    }
  }
}
