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
