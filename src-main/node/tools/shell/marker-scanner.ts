// Finds one marker in a terminal stream without ever passing on a part of it: a chunk that ends
// in what could be the start of the marker is held back until the next chunk decides.

export type ScanResult =
  | { found: false; passed: string }
  | { found: true; passed: string; payload: string; after: string }

/** Longer than any payload we print; a longer "payload" means this was not our marker. */
const MAX_PAYLOAD = 64

export class MarkerScanner {
  private readonly prefix: string
  private held = ''

  /** Matches `prefix` + payload + BEL. */
  constructor(prefix: string) {
    this.prefix = prefix
  }

  push(chunk: string): ScanResult {
    const data = this.held + chunk
    this.held = ''
    const at = data.indexOf(this.prefix)
    if (at !== -1) {
      const payloadStart = at + this.prefix.length
      const bell = data.indexOf('\x07', payloadStart)
      if (bell !== -1) return { found: true, passed: data.slice(0, at), payload: data.slice(payloadStart, bell), after: data.slice(bell + 1) }
      if (data.length - payloadStart <= MAX_PAYLOAD) {
        this.held = data.slice(at)
        return { found: false, passed: data.slice(0, at) }
      }
      return { found: false, passed: data }
    }
    const keep = this.partialPrefixLength(data)
    this.held = data.slice(data.length - keep)
    return { found: false, passed: data.slice(0, data.length - keep) }
  }

  /** Whatever is held back, for when the stream ends. */
  flush(): string {
    const rest = this.held
    this.held = ''
    return rest
  }

  private partialPrefixLength(data: string): number {
    for (let length = Math.min(this.prefix.length - 1, data.length); length > 0; length--) {
      if (data.endsWith(this.prefix.slice(0, length))) return length
    }
    return 0
  }
}
