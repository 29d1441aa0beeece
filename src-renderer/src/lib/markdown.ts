// Assistant text as Markdown: parsed by marked, then sanitized by DOMPurify before it touches the
// DOM. Model output is untrusted: no raw HTML survives, links open outside the app, and images
// load nothing remote (the CSP would block them anyway).
import DOMPurify from 'dompurify'
import { Marked } from 'marked'

const marked = new Marked({ gfm: true, breaks: false, async: false })

const purify = DOMPurify()
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('rel', 'noopener noreferrer')
    node.setAttribute('target', '_blank')
  }
})

export function renderMarkdown(text: string): string {
  const html = marked.parse(text) as string
  return purify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'img', 'video', 'audio', 'svg', 'math'],
    FORBID_ATTR: ['style'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i
  })
}

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

  render(block: string): string {
    let html = this.#html.get(block)
    if (html === undefined) {
      html = renderMarkdown(block)
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
