// SSE framing of server events as the API sends them: an `event:` line with the type and one
// `data:` line of JSON. Delta events carry `obfuscation` padding unless the request turned it off
// (stream_options.include_obfuscation: false), as on api.openai.com.
const PADDING_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function padding(delta: string): string {
  const length = 16 - (delta.length % 16) || 16
  let text = ''
  for (let index = 0; index < length; index++) text += PADDING_ALPHABET[(delta.charCodeAt(index % Math.max(1, delta.length)) + index) % PADDING_ALPHABET.length]
  return text
}

export function formatSseEvent(frame: object, obfuscate: boolean): string {
  const event = frame as { type?: unknown; delta?: unknown }
  const withPadding = obfuscate && typeof event.delta === 'string' ? { ...frame, obfuscation: padding(event.delta) } : frame
  return `event: ${String(event.type)}\ndata: ${JSON.stringify(withPadding)}\n\n`
}
