import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, SettingsStore } from './settings-store'

describe('SettingsStore', () => {
  let folder: string
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tether-settings-'))
  })
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('starts from the defaults and saves changes in a file only the user can read', async () => {
    const path = join(folder, 'settings.json')
    const store = await SettingsStore.open(path)
    expect(store.current).toEqual(DEFAULT_SETTINGS)
    await store.update({ provider: 'custom', baseUrl: 'http://127.0.0.1:4010/v1/', model: 'local-model', networkAllowlist: ['registry.npmjs.org'] })
    await store.rememberRepo('/srv/repos/a', 1)
    await store.rememberRepo('/srv/repos/b', 2)
    await store.rememberRepo('/srv/repos/a', 3)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    const reopened = await SettingsStore.open(path)
    expect(reopened.current).toEqual({
      ...DEFAULT_SETTINGS,
      provider: 'custom',
      customBaseUrl: 'http://127.0.0.1:4010/v1',
      model: 'local-model',
      networkAllowlist: ['registry.npmjs.org'],
      recentRepos: [
        { path: '/srv/repos/a', openedAt: 3 },
        { path: '/srv/repos/b', openedAt: 2 }
      ]
    })
  })

  it('reads a file from before the reasoning settings as their defaults, and keeps them once chosen', async () => {
    const path = join(folder, 'settings.json')
    const { reasoningEffort: _effort, reasoningSummary: _summary, ...older } = DEFAULT_SETTINGS
    await writeFile(path, JSON.stringify({ ...older, model: 'gpt-5-mini' }))
    const store = await SettingsStore.open(path)
    expect(store.current).toEqual({ ...DEFAULT_SETTINGS, model: 'gpt-5-mini' })
    await store.update({ reasoningEffort: 'high', reasoningSummary: 'detailed' })
    expect((await SettingsStore.open(path)).current).toEqual({ ...DEFAULT_SETTINGS, model: 'gpt-5-mini', reasoningEffort: 'high', reasoningSummary: 'detailed' })
  })

  it('sets a damaged file aside instead of overwriting it', async () => {
    const path = join(folder, 'settings.json')
    await writeFile(path, '{"version":1,"provider":"openai"')
    const store = await SettingsStore.open(path, 1234)
    expect(store.current).toEqual(DEFAULT_SETTINGS)
    expect(store.damaged).toBe(`${path}.damaged-1234`)
    expect(await readFile(`${path}.damaged-1234`, 'utf8')).toBe('{"version":1,"provider":"openai"')
    expect(await readdir(folder)).toEqual(['settings.json.damaged-1234'])
  })
})
