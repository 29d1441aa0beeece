// Builds a TetherHost from the real parts: the data dir, the sandboxed tool host, the approval
// broker and the demo sim. Electron main and `tether web` differ only in the options they pass.
import type { HostKind } from '../../common/api/contract'
import { DataDir, defaultDataDir } from '../store/data-dir'
import { findAppPaths } from './app-paths'
import { DEMO_FALLBACK_TASK, sampleRepoExists, type DemoModel } from './demo'
import type { ApprovalDesk } from './approval-desk'
import type { KeyStore } from './key-store'
import { storedHomeAllowlist } from './settings-store'
import { TetherHost, type HostOptions, type ToolServices } from './tether-host'

export interface ComposeOptions {
  kind: HostKind
  keys: (dataDir: DataDir) => KeyStore
  env?: NodeJS.ProcessEnv
  dataDir?: string
  pickFolder?: HostOptions['pickFolder']
  openExternal?: HostOptions['openExternal']
  notify?: HostOptions['notify']
}

/** The built-in sim with the `demo` scenario, on 127.0.0.1 in this process. */
async function startDemoModel(): Promise<DemoModel> {
  const { startSim, loadScenario } = await import('../../../sim')
  const scenario = loadScenario('demo')
  const sim = await startSim({ scenario, host: '127.0.0.1' })
  return { baseUrl: sim.baseUrl, apiKey: 'tether-demo', task: scenario.task ?? DEMO_FALLBACK_TASK, close: () => sim.stop() }
}

async function startToolServices(dataDir: DataDir, desk: ApprovalDesk): Promise<ToolServices> {
  const [{ createToolRuntime }, { createAppGate }] = await Promise.all([import('../tools/sandboxed-tool-runtime'), import('./app-gate')])
  const tools = createToolRuntime({ dataDir: dataDir.root, homeAllowlist: () => storedHomeAllowlist(dataDir.settings) })
  return { tools, gate: createAppGate(dataDir, desk), close: () => tools.close() }
}

export async function composeHost(options: ComposeOptions): Promise<TetherHost> {
  const env = options.env ?? process.env
  const dataDir = new DataDir(options.dataDir ?? defaultDataDir(env))
  const paths = findAppPaths()
  return TetherHost.create({
    kind: options.kind,
    version: paths.version,
    dataDir,
    keys: options.keys(dataDir),
    env,
    resourcesDir: paths.resources,
    toolServices: (desk) => startToolServices(dataDir, desk),
    demoModel: (await sampleRepoExists(paths.resources)) ? startDemoModel : null,
    pickFolder: options.pickFolder,
    openExternal: options.openExternal,
    notify: options.notify
  })
}
