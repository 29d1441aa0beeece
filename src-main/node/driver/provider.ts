// Which server a run talks to and with which key. The key lives only here and in request
// headers: never in a record, a log line or anything sent to the renderer.
import { DEFAULT_PROVIDER, isProviderName, PROVIDER_NAMES, PROVIDERS, type ProviderName } from '../../common/providers/providers'

export type { ProviderName }

export interface Provider {
  name: ProviderName
  baseUrl: string
  apiKey: string
}

export class ProviderConfigError extends Error {}

export function resolveProvider(
  options: { provider?: string; baseUrl?: string },
  env: NodeJS.ProcessEnv = process.env
): Provider {
  const requested = options.provider ?? (options.baseUrl ? 'custom' : DEFAULT_PROVIDER)
  if (!isProviderName(requested)) {
    throw new ProviderConfigError(`unknown provider '${requested}' (expected ${PROVIDER_NAMES.join(', ')})`)
  }
  const profile = PROVIDERS[requested]
  const baseUrl = (options.baseUrl ?? profile.baseUrl)?.replace(/\/+$/, '')
  if (!baseUrl) throw new ProviderConfigError(`--provider ${requested} needs --base-url`)
  const apiKey = env[profile.keyVariable] ?? (profile.fallbackKeyVariable === null ? undefined : env[profile.fallbackKeyVariable])
  if (!apiKey) throw new ProviderConfigError(`no API key: set ${profile.keyVariable}`)
  return { name: requested, baseUrl, apiKey }
}

export function websocketUrl(baseUrl: string): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/responses`)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return url.toString()
}

export function authHeaders(provider: Provider): Record<string, string> {
  return { Authorization: `Bearer ${provider.apiKey}` }
}
