// SSE framing of server events as the API sends them: an `event:` line with the type and one
// `data:` line of JSON.
export function formatSseEvent(frame: object): string {
  return `event: ${String((frame as { type?: unknown }).type)}\ndata: ${JSON.stringify(frame)}\n\n`
}
