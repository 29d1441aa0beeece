// `obfuscation` padding on delta events, as api.openai.com sends it over SSE and over a
// WebSocket alike, unless the request turned it off (`stream_options.include_obfuscation: false`).
// It pads each delta towards a multiple of 16 characters so that frame sizes say less about tokens.
const PADDING_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function padding(delta: string): string {
  const length = 16 - (delta.length % 16) || 16
  let text = ''
  for (let index = 0; index < length; index++) text += PADDING_ALPHABET[(delta.charCodeAt(index % Math.max(1, delta.length)) + index) % PADDING_ALPHABET.length]
  return text
}

export function wantsObfuscation(params: Record<string, unknown>): boolean {
  const options = params.stream_options as { include_obfuscation?: unknown } | null | undefined
  return options?.include_obfuscation !== false
}

export function withObfuscation<T extends object>(frame: T, obfuscate: boolean): T {
  const delta = (frame as { delta?: unknown }).delta
  return obfuscate && typeof delta === 'string' ? { ...frame, obfuscation: padding(delta) } : frame
}
