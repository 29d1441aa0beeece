// Streaming Markdown in blocks: while a message streams only its last block changes.

/**
 * Splits streaming text into blocks at blank lines outside code fences. While a message streams
 * only its last block changes, so earlier blocks keep their parsed HTML (and their DOM).
 */
export function markdownBlocks(text: string): string[] {
  const blocks: string[] = []
  let current: string[] = []
  let fence: string | null = null
  for (const line of text.split('\n')) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1]
    if (marker) {
      if (fence === null) fence = marker[0] ?? null
      else if (marker[0] === fence) fence = null
    }
    if (fence === null && line.trim() === '' && current.length > 0) {
      blocks.push(current.join('\n'))
      current = []
      continue
    }
    current.push(line)
  }
  if (current.length > 0) blocks.push(current.join('\n'))
  return blocks
}

/** Parsed blocks, remembered by their text: one cache per message. */
export class BlockCache {
  #html = new Map<string, string>()
  #render: (block: string) => string

  constructor(render: (block: string) => string) {
    this.#render = render
  }


  render(block: string): string {
    let html = this.#html.get(block)
    if (html === undefined) {
      html = this.#render(block)
      this.#html.set(block, html)
    }
    return html
  }

  /** Keeps only the blocks still in use, so a long stream does not hold every intermediate block. */
  retain(blocks: string[]): void {
    const live = new Set(blocks)
    for (const key of this.#html.keys()) if (!live.has(key)) this.#html.delete(key)
  }
}

const SEGMENT_CHARS = 2048

/**
 * The block still being written, cut into pieces of about SEGMENT_CHARS at sentence ends (else at
 * spaces). Each piece is laid out on its own, so only the last one changes as text arrives: a
 * long paragraph is neither parsed nor laid out again and again while it grows.
 */
export function liveSegments(text: string): string[] {
  const segments: string[] = []
  let start = 0
  while (text.length - start > SEGMENT_CHARS) {
    const sentence = text.lastIndexOf('. ', start + SEGMENT_CHARS)
    const space = text.lastIndexOf(' ', start + SEGMENT_CHARS)
    const cut = sentence > start ? sentence + 1 : space
    const end = cut > start ? cut + 1 : start + SEGMENT_CHARS
    segments.push(text.slice(start, end))
    start = end
  }
  segments.push(text.slice(start))
  return segments
}
