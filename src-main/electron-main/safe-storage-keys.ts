// API keys encrypted with the OS keychain through Electron's safeStorage. Where the system has no
// real keychain (Linux without a secret service falls back to a fixed password), keys are not
// saved at all: the app says so and points to the environment variables.
import { safeStorage } from 'electron'
import { join } from 'node:path'
import { z } from 'zod'
import type { ProviderChoice } from '../common/api/contract'
import type { KeyStore } from '../node/host/key-store'
import { readOptionalFile, writePrivateFile } from '../node/host/private-file'
import { KEY_FILES } from '../node/store/data-dir'

const fileSchema = z.record(z.string(), z.string())

function keychainAvailable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'
}

export class SafeStorageKeyStore implements KeyStore {
  readonly kind: 'os' | null
  readonly path: string

  constructor(directory: string) {
    this.path = join(directory, KEY_FILES.osEncrypted)
    this.kind = keychainAvailable() ? 'os' : null
  }

  async #readAll(): Promise<Record<string, string>> {
    const text = await readOptionalFile(this.path)
    if (text === null) return {}
    const parsed = fileSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : {}
  }

  async read(provider: ProviderChoice): Promise<string | null> {
    if (this.kind === null) return null
    const sealed = (await this.#readAll())[provider]
    return sealed ? safeStorage.decryptString(Buffer.from(sealed, 'base64')) : null
  }

  async write(provider: ProviderChoice, key: string): Promise<void> {
    if (this.kind === null) throw new Error('no OS keychain is available to protect the key')
    const sealed = safeStorage.encryptString(key).toString('base64')
    await writePrivateFile(this.path, JSON.stringify({ ...(await this.#readAll()), [provider]: sealed }))
  }

  async remove(provider: ProviderChoice): Promise<void> {
    const { [provider]: _removed, ...rest } = await this.#readAll()
    await writePrivateFile(this.path, JSON.stringify(rest))
  }
}
