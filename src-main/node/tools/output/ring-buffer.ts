// Keeps the last `capacity` characters of a stream without ever holding more than that (plus
// one chunk), so a command that prints gigabytes costs a bounded amount of memory.
export class RingBuffer {
  private readonly capacity: number
  private chunks: string[] = []
  private length = 0

  constructor(capacity: number) {
    this.capacity = capacity
  }

  push(text: string): void {
    if (text.length === 0) return
    if (text.length >= this.capacity) {
      this.chunks = [text.slice(text.length - this.capacity)]
      this.length = this.capacity
      return
    }
    this.chunks.push(text)
    this.length += text.length
    while (this.length - (this.chunks[0]?.length ?? 0) >= this.capacity) {
      this.length -= this.chunks.shift()?.length ?? 0
    }
  }

  /** The retained tail: at most `capacity` characters. */
  contents(): string {
    const joined = this.chunks.join('')
    this.chunks = joined.length > 0 ? [joined] : []
    return joined.length > this.capacity ? joined.slice(joined.length - this.capacity) : joined
  }

  get size(): number {
    return Math.min(this.length, this.capacity)
  }
}
