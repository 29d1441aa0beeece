// API keys stay in the host process. They are read when a run starts and go only into request
// headers: never into a record, a log line, or anything sent to the renderer.
import { join } from 'node:path'
import { z } from 'zod'
import type { KeyStatus, ProviderChoice } from '../../common/api/contract'
import { readOptionalFile, writePrivateFile } from './private-file'
import { KEY_FILES } from '../store/data-dir'
import { PROVIDERS } from '../../common/providers/providers'

export interface KeyStore {
  /** `os`: encrypted by the OS keychain; `file`: a 0600 file; null: this host cannot save keys. */
  readonly kind: 'os' | 'file' | null
  read(provider: ProviderChoice): Promise<string | null>
  write(provider: ProviderChoice, key: string): Promise<void>
  remove(provider: ProviderChoice): Promise<void>
}


const keyFileSchema = z.record(z.string(), z.string())

/** Keys as a JSON map in a file only this user can read (browser mode: no OS keychain from a plain Node process). */
export class FileKeyStore implements KeyStore {
  readonly kind = 'file' as const
  readonly path: string

  constructor(directory: string) {
    this.path = join(directory, KEY_FILES.plain)
  }

  async #readAll(): Promise<Record<string, string>> {
    const text = await readOptionalFile(this.path)
    if (text === null) return {}
    const parsed = keyFileSchema.safeParse(JSON.parse(text))
    if (!parsed.success) throw new Error(`${this.path} is not a map of provider names to keys`)
    return parsed.data
  }

  async read(provider: ProviderChoice): Promise<string | null> {
    return (await this.#readAll())[provider] ?? null
  }

  async write(provider: ProviderChoice, key: string): Promise<void> {
    await writePrivateFile(this.path, JSON.stringify({ ...(await this.#readAll()), [provider]: key }))
  }

  async remove(provider: ProviderChoice): Promise<void> {
    const { [provider]: _removed, ...rest } = await this.#readAll()
    await writePrivateFile(this.path, JSON.stringify(rest))
  }
}

/** A key saved in the app wins over the environment: it is the more deliberate choice. */
export async function resolveKey(
  store: KeyStore,
  provider: ProviderChoice,
  env: NodeJS.ProcessEnv
): Promise<{ key: string; status: KeyStatus } | null> {
  const stored = await store.read(provider)
  if (stored) return { key: stored, status: { configured: true, source: 'stored' } }
  const { keyVariable, fallbackKeyVariable } = PROVIDERS[provider]
  const fromEnv = env[keyVariable] ?? (fallbackKeyVariable === null ? undefined : env[fallbackKeyVariable])
  if (fromEnv) return { key: fromEnv, status: { configured: true, source: 'env' } }
  return null
}

export async function keyStatusOf(store: KeyStore, provider: ProviderChoice, env: NodeJS.ProcessEnv): Promise<KeyStatus> {
  return (await resolveKey(store, provider, env))?.status ?? { configured: false, source: null }
}
