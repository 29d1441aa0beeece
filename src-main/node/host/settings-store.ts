// The app's settings file (run defaults and recent repos). Never holds a key. A damaged file is
// set aside, not overwritten, and the defaults are used.
import { rename } from 'node:fs/promises'
import { z } from 'zod'
import type { ProviderChoice, SettingsPatch } from '../../common/api/contract'
import { PROVIDER_NAMES, PROVIDERS } from '../../common/providers/providers'
import { REASONING_EFFORTS, REASONING_SUMMARIES } from '../../common/providers/reasoning'
import { APPROVAL_MODES, DEFAULT_APPROVAL_MODE } from '../../common/run/approval-modes'
import type { Transport } from '../../common/run/records'
import { DEFAULT_HOME_ALLOWLIST } from '../tools/sandbox/home-view'
import { readOptionalFile, writePrivateFile } from './private-file'

const RECENT_REPO_LIMIT = 12

const storedSchema = z.object({
  version: z.literal(1),
  provider: z.enum(PROVIDER_NAMES),
  customBaseUrl: z.string().nullable(),
  model: z.string().min(1),
  transport: z.enum(['ws', 'sse']),
  approvalMode: z.enum(APPROVAL_MODES),
  networkAllowlist: z.array(z.string()),
  // Files written before these existed read as "the defaults".
  reasoningEffort: z.enum(REASONING_EFFORTS).nullable().default(null),
  reasoningSummary: z.enum(REASONING_SUMMARIES).nullable().default(null),
  /** Home folders shown read-only inside the sandbox; absent means DEFAULT_HOME_ALLOWLIST. Edited in the file itself. */
  homeAllowlist: z.array(z.string()).optional(),
  /** The person's MCP servers as `.mcp.json` text; absent in files written before it existed. */
  mcpConfig: z.string().default(''),
  recentRepos: z.array(z.object({ path: z.string(), openedAt: z.number() }))
})

export type StoredSettings = z.infer<typeof storedSchema>

export const DEFAULT_SETTINGS: StoredSettings = {
  version: 1,
  provider: 'openai',
  customBaseUrl: null,
  model: PROVIDERS.openai.defaultModel,
  transport: 'ws' satisfies Transport,
  approvalMode: DEFAULT_APPROVAL_MODE,
  networkAllowlist: [],
  reasoningEffort: null,
  reasoningSummary: null,
  mcpConfig: '',
  recentRepos: []
}

export class SettingsStore {
  readonly path: string
  #current: StoredSettings
  /** Set when the file on disk could not be read and was moved aside. */
  readonly damaged: string | null
  #writing: Promise<void> = Promise.resolve()

  private constructor(path: string, current: StoredSettings, damaged: string | null) {
    this.path = path
    this.#current = current
    this.damaged = damaged
  }

  static async open(path: string, now = Date.now()): Promise<SettingsStore> {
    const text = await readOptionalFile(path)
    if (text === null) return new SettingsStore(path, DEFAULT_SETTINGS, null)
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    const checked = storedSchema.safeParse(parsed)
    if (checked.success) return new SettingsStore(path, checked.data, null)
    const aside = `${path}.damaged-${now}`
    await rename(path, aside)
    return new SettingsStore(path, DEFAULT_SETTINGS, aside)
  }

  get current(): StoredSettings {
    return this.#current
  }

  async update(patch: SettingsPatch): Promise<StoredSettings> {
    const { baseUrl, ...rest } = patch
    const provider: ProviderChoice = patch.provider ?? this.#current.provider
    const next: StoredSettings = {
      ...this.#current,
      ...rest,
      customBaseUrl: baseUrl !== undefined && provider === 'custom' ? baseUrl.replace(/\/+$/, '') : this.#current.customBaseUrl
    }
    return this.#save(next)
  }

  async rememberRepo(path: string, openedAt: number): Promise<StoredSettings> {
    const others = this.#current.recentRepos.filter((repo) => repo.path !== path)
    return this.#save({ ...this.#current, recentRepos: [{ path, openedAt }, ...others].slice(0, RECENT_REPO_LIMIT) })
  }

  async forgetRepo(path: string): Promise<StoredSettings> {
    return this.#save({ ...this.#current, recentRepos: this.#current.recentRepos.filter((repo) => repo.path !== path) })
  }

  /** Writes are serialized so two quick updates cannot land out of order. */
  async #save(next: StoredSettings): Promise<StoredSettings> {
    this.#current = next
    const text = `${JSON.stringify(next, null, 2)}\n`
    this.#writing = this.#writing.catch(() => undefined).then(() => writePrivateFile(this.path, text))
    await this.#writing
    return next
  }
}

/**
 * The home allowlist the settings file holds, read fresh (the file may be edited by hand while
 * Tether runs); the default when the file or the field is missing or the file is damaged.
 */
export async function storedHomeAllowlist(path: string): Promise<readonly string[]> {
  const text = await readOptionalFile(path).catch(() => null)
  if (text === null) return DEFAULT_HOME_ALLOWLIST
  try {
    const parsed = storedSchema.safeParse(JSON.parse(text))
    return parsed.success ? (parsed.data.homeAllowlist ?? DEFAULT_HOME_ALLOWLIST) : DEFAULT_HOME_ALLOWLIST
  } catch {
    return DEFAULT_HOME_ALLOWLIST
  }
}
