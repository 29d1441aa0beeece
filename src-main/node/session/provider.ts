// Which server a run talks to and with which key. The key lives only here and in request
// headers: never in a record, a log line or anything sent to the renderer.
export type ProviderName = 'openai' | 'xai' | 'custom'

export interface Provider {
  name: ProviderName
  baseUrl: string
  apiKey: string
}

export const DEFAULT_BASE_URLS: Record<Exclude<ProviderName, 'custom'>, string> = {
  openai: 'https://api.openai.com/v1',
  xai: 'https://api.x.ai/v1'
}

const KEY_VARIABLES: Record<ProviderName, string> = {
  openai: 'OPENAI_API_KEY',
  xai: 'XAI_API_KEY',
  custom: 'TETHER_API_KEY'
}

export class ProviderConfigError extends Error {}

export function resolveProvider(
  options: { provider?: string; baseUrl?: string },
  env: NodeJS.ProcessEnv = process.env
): Provider {
  const requested = options.provider ?? (options.baseUrl ? 'custom' : 'openai')
  if (requested !== 'openai' && requested !== 'xai' && requested !== 'custom') {
    throw new ProviderConfigError(`unknown provider '${requested}' (expected openai, xai or custom)`)
  }
  const name: ProviderName = requested
  const baseUrl = (options.baseUrl ?? (name === 'custom' ? undefined : DEFAULT_BASE_URLS[name]))?.replace(/\/+$/, '')
  if (!baseUrl) throw new ProviderConfigError('a custom provider needs --base-url')
  const variable = KEY_VARIABLES[name]
  const apiKey = env[variable] ?? (name === 'custom' ? env.OPENAI_API_KEY : undefined)
  if (!apiKey) throw new ProviderConfigError(`no API key: set ${variable}`)
  return { name, baseUrl, apiKey }
}

export function websocketUrl(baseUrl: string): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/responses`)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return url.toString()
}

export function authHeaders(provider: Provider): Record<string, string> {
  return { Authorization: `Bearer ${provider.apiKey}` }
}
