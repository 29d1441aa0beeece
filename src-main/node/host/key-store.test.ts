import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileKeyStore, keyStatusOf, resolveKey } from './key-store'

describe('FileKeyStore and key resolution', () => {
  let folder: string
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tether-keys-'))
  })
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('keeps keys in a 0600 file and removes them again', async () => {
    const store = new FileKeyStore(folder)
    await store.write('openai', 'sk-test-0123456789')
    await store.write('xai', 'xai-test-0123456789')
    expect((await stat(store.path)).mode & 0o777).toBe(0o600)
    expect(await store.read('openai')).toBe('sk-test-0123456789')
    await store.remove('openai')
    expect(JSON.parse(await readFile(store.path, 'utf8'))).toEqual({ xai: 'xai-test-0123456789' })
    expect(await store.read('openai')).toBeNull()
  })

  it('prefers a saved key to the environment and says where a key comes from, never what it is', async () => {
    const store = new FileKeyStore(folder)
    const env = { OPENAI_API_KEY: 'sk-from-env-0123', TETHER_API_KEY: undefined }
    expect(await resolveKey(store, 'openai', env)).toEqual({ key: 'sk-from-env-0123', status: { configured: true, source: 'env' } })
    await store.write('openai', 'sk-saved-0123456')
    expect(await keyStatusOf(store, 'openai', env)).toEqual({ configured: true, source: 'stored' })
    expect(await keyStatusOf(store, 'xai', env)).toEqual({ configured: false, source: null })
    // A custom server falls back to the OpenAI key, as the CLI does.
    expect(await keyStatusOf(store, 'custom', env)).toEqual({ configured: true, source: 'env' })
  })
})
