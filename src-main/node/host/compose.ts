// Builds a TetherHost from the real parts: the data dir, the tool host, the approval broker and
// the demo sim. Electron main and `tether web` differ only in the options they pass.
import type { HostKind } from '../../common/api/contract'
import { DataDir, defaultDataDir } from '../store/data-dir'
import { findAppPaths } from './app-paths'
import { HostError } from './host-error'
import type { KeyStore } from './key-store'
import { TetherHost, type HostOptions } from './tether-host'

export interface ComposeOptions {
  kind: HostKind
  keys: (dataDir: DataDir) => KeyStore
  env?: NodeJS.ProcessEnv
  dataDir?: string
  pickFolder?: HostOptions['pickFolder']
  openExternal?: HostOptions['openExternal']
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
    toolServices: async () => {
      throw new HostError('unavailable', 'the tool host is not wired into this build yet')
    },
    demoModel: null,
    pickFolder: options.pickFolder,
    openExternal: options.openExternal
  })
}
