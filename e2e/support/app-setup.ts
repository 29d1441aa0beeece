// A data dir set up as a person would have it: a provider pointed at a model server, the repo to
// work on (a git copy of the sample repository), and the approval mode.
import { join } from 'node:path'
import { DEFAULT_APPROVAL_MODE, type ApprovalMode } from '../../src-main/common/run/approval-modes'
import { prepareDemoWorkspace } from '../../src-main/node/host/demo'
import { SettingsStore } from '../../src-main/node/host/settings-store'
import { DataDir } from '../../src-main/node/store/data-dir'
import type { Page } from '@playwright/test'
import { makeDataDir, ROOT, startBrowserHost, type BrowserHost } from './browser-host'
import { test } from './fixtures'
import { startSimProcess, type SimProcess } from './sim-process'

export async function configureCustomProvider(dataDir: string, baseUrl: string, approvalMode: ApprovalMode = DEFAULT_APPROVAL_MODE): Promise<void> {
  const settings = await SettingsStore.open(new DataDir(dataDir).settings)
  await settings.update({ provider: 'custom', baseUrl, model: 'sim-model', approvalMode })
}

/** A fresh git copy of resources/sample-repo in `folder` (not the data dir: that is Tether's own, read-only to commands). */
export function sampleWorkspace(folder: string): Promise<string> {
  return prepareDemoWorkspace(join(ROOT, 'resources'), join(folder, 'repos'))
}

export const PROVIDER_ENV = { TETHER_API_KEY: 'sk-e2e-not-a-real-key' }

export interface SimApp {
  readonly data: DataDirHandle
  readonly sim: SimProcess
  readonly host: BrowserHost
}

type DataDirHandle = Awaited<ReturnType<typeof makeDataDir>>

/**
 * Each test of the calling `describe` gets a data dir, a sim playing `scenario` in its own process,
 * a provider pointed at it, and a browser-mode host; all are torn down after the test.
 */
export function useSimApp(options: { scenario: string | object; tokenIntervalMs: number; ttftMs: number; approvalMode?: ApprovalMode }): SimApp {
  let current: SimApp | null = null
  test.beforeEach(async () => {
    const data = await makeDataDir()
    const sim = await startSimProcess({ scenario: options.scenario, folder: data.folder, tokenIntervalMs: options.tokenIntervalMs, ttftMs: options.ttftMs })
    await configureCustomProvider(data.path, sim.baseUrl, options.approvalMode)
    current = { data, sim, host: await startBrowserHost(data.path, PROVIDER_ENV) }
  })
  test.afterEach(async ({ page }) => {
    // The page goes first, so it does not see its host disappear.
    await page.close()
    await current?.host.stop()
    await current?.sim.stop()
    await current?.data.dispose()
    current = null
  })
  const get = (): SimApp => {
    if (!current) throw new Error('useSimApp: used outside a test')
    return current
  }
  return {
    get data() {
      return get().data
    },
    get sim() {
      return get().sim
    },
    get host() {
      return get().host
    }
  }
}

export interface FreshApp {
  readonly data: DataDirHandle
  readonly host: BrowserHost
}

/** Each test of the calling `describe` gets an empty data dir (no provider, no key) and a browser-mode host on it. */
export function useFreshApp(): FreshApp {
  let current: FreshApp | null = null
  test.beforeEach(async () => {
    const data = await makeDataDir()
    current = { data, host: await startBrowserHost(data.path) }
  })
  test.afterEach(async ({ page }) => {
    // The page goes first, so it does not see its host disappear.
    await page.close()
    await current?.host.stop()
    await current?.data.dispose()
    current = null
  })
  const get = (): FreshApp => {
    if (!current) throw new Error('useFreshApp: used outside a test')
    return current
  }
  return {
    get data() {
      return get().data
    },
    get host() {
      return get().host
    }
  }
}

/** Opens a fresh copy of the sample repository in the app and starts a run with `task`. */
export async function startRunOnSample(page: Page, app: SimApp, task: string): Promise<void> {
  const workspace = await sampleWorkspace(app.data.folder)
  await page.goto(app.host.url)
  await page.getByRole('textbox', { name: 'Repository path' }).first().fill(workspace)
  await page.getByRole('button', { name: 'Open', exact: true }).click()
  const composer = page.getByRole('textbox', { name: /Describe a task/ })
  await composer.fill(task)
  await composer.press('Enter')
}
