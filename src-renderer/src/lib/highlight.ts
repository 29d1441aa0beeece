// Syntax highlighting with highlight.js, loaded on first use so the app starts without it. One
// loader for the whole renderer (code blocks and diffs): the core and a fixed set of languages are
// imported once, in one chunk. The HTML that comes back is highlight.js's escaped output: the
// code's own text never becomes markup.
import type { HLJSApi, LanguageFn } from 'highlight.js'

let loading: Promise<HLJSApi> | null = null

async function load(): Promise<HLJSApi> {
  const [core, ...languages] = await Promise.all([
    import('highlight.js/lib/core'),
    import('highlight.js/lib/languages/bash'),
    import('highlight.js/lib/languages/c'),
    import('highlight.js/lib/languages/cpp'),
    import('highlight.js/lib/languages/css'),
    import('highlight.js/lib/languages/diff'),
    import('highlight.js/lib/languages/go'),
    import('highlight.js/lib/languages/java'),
    import('highlight.js/lib/languages/javascript'),
    import('highlight.js/lib/languages/json'),
    import('highlight.js/lib/languages/markdown'),
    import('highlight.js/lib/languages/python'),
    import('highlight.js/lib/languages/ruby'),
    import('highlight.js/lib/languages/rust'),
    import('highlight.js/lib/languages/shell'),
    import('highlight.js/lib/languages/sql'),
    import('highlight.js/lib/languages/typescript'),
    import('highlight.js/lib/languages/xml'),
    import('highlight.js/lib/languages/yaml')
  ])
  const hljs = core.default
  const names = ['bash', 'c', 'cpp', 'css', 'diff', 'go', 'java', 'javascript', 'json', 'markdown', 'python', 'ruby', 'rust', 'shell', 'sql', 'typescript', 'xml', 'yaml']
  names.forEach((name, index) => hljs.registerLanguage(name, (languages[index] as { default: LanguageFn }).default))
  return hljs
}

/** highlight.js with Tether's languages; the first call loads it. */
export function loadHighlighter(): Promise<HLJSApi> {
  loading ??= load().catch((error: unknown) => {
    loading = null
    throw error
  })
  return loading
}

/** Code longer than this is shown plain: highlighting it would cost more than it helps. */
export const HIGHLIGHT_LIMIT = 100_000

/**
 * `code` as highlighted, escaped HTML, or null when the language is unknown (or not given) or the
 * code is too long to be worth it.
 */
export async function highlightCode(code: string, language: string | null): Promise<string | null> {
  if (!language || code.length > HIGHLIGHT_LIMIT) return null
  const hljs = await loadHighlighter()
  if (!hljs.getLanguage(language)) return null
  return hljs.highlight(code, { language, ignoreIllegals: true }).value
}
