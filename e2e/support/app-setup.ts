// A data dir set up as a person would have it: a provider pointed at a model server, the repo to
// work on (a git copy of the sample repository), and the approval mode.
import { join } from 'node:path'
import type { ApprovalMode } from '../../src-main/common/run/records'
import { prepareDemoWorkspace } from '../../src-main/node/host/demo'
import { SettingsStore } from '../../src-main/node/host/settings-store'
import { DataDir } from '../../src-main/node/store/data-dir'
import { ROOT } from './browser-host'

export async function configureCustomProvider(dataDir: string, baseUrl: string, approvalMode: ApprovalMode = 'ask-risky'): Promise<void> {
  const settings = await SettingsStore.open(new DataDir(dataDir).settings)
  await settings.update({ provider: 'custom', baseUrl, model: 'sim-model', approvalMode })
}

/** A fresh git copy of resources/sample-repo in `folder` (not the data dir: that is Tether's own, read-only to commands). */
export function sampleWorkspace(folder: string): Promise<string> {
  return prepareDemoWorkspace(join(ROOT, 'resources'), join(folder, 'repos'))
}

export const PROVIDER_ENV = { TETHER_API_KEY: 'sk-e2e-not-a-real-key' }
