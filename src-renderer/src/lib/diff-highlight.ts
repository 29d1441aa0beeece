// Syntax colouring for diff lines: highlight.js and the one grammar a file needs are loaded on
// first use, never with the app. Lines are coloured one at a time (a hunk is not a whole file),
// and highlight.js escapes the text it returns.
import type { HLJSApi, LanguageFn } from 'highlight.js'

type GrammarLoader = () => Promise<{ default: LanguageFn }>

const GRAMMARS: Record<string, GrammarLoader> = {
  typescript: () => import('highlight.js/lib/languages/typescript'),
  javascript: () => import('highlight.js/lib/languages/javascript'),
  json: () => import('highlight.js/lib/languages/json'),
  css: () => import('highlight.js/lib/languages/css'),
  scss: () => import('highlight.js/lib/languages/scss'),
  xml: () => import('highlight.js/lib/languages/xml'),
  markdown: () => import('highlight.js/lib/languages/markdown'),
  python: () => import('highlight.js/lib/languages/python'),
  bash: () => import('highlight.js/lib/languages/bash'),
  go: () => import('highlight.js/lib/languages/go'),
  rust: () => import('highlight.js/lib/languages/rust'),
  java: () => import('highlight.js/lib/languages/java'),
  c: () => import('highlight.js/lib/languages/c'),
  cpp: () => import('highlight.js/lib/languages/cpp'),
  yaml: () => import('highlight.js/lib/languages/yaml'),
  ini: () => import('highlight.js/lib/languages/ini'),
  sql: () => import('highlight.js/lib/languages/sql'),
  ruby: () => import('highlight.js/lib/languages/ruby'),
  php: () => import('highlight.js/lib/languages/php'),
  makefile: () => import('highlight.js/lib/languages/makefile'),
  dockerfile: () => import('highlight.js/lib/languages/dockerfile')
}

const BY_EXTENSION: Record<string, string> = {
  ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript', svelte: 'xml', vue: 'xml',
  json: 'json', css: 'css', scss: 'scss', html: 'xml', htm: 'xml', xml: 'xml', svg: 'xml',
  md: 'markdown', py: 'python', sh: 'bash', bash: 'bash', zsh: 'bash', go: 'go', rs: 'rust', java: 'java',
  c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', hpp: 'cpp', yml: 'yaml', yaml: 'yaml', toml: 'ini', ini: 'ini',
  sql: 'sql', rb: 'ruby', php: 'php'
}

const BY_NAME: Record<string, string> = { Makefile: 'makefile', Dockerfile: 'dockerfile' }

export function languageOf(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1)
  if (BY_NAME[name]) return BY_NAME[name]
  const dot = name.lastIndexOf('.')
  return dot > 0 ? (BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? null) : null
}

let core: Promise<HLJSApi> | null = null
const registered = new Map<string, Promise<boolean>>()

async function grammar(hljs: HLJSApi, language: string): Promise<boolean> {
  let ready = registered.get(language)
  if (!ready) {
    const load = GRAMMARS[language]
    ready = load
      ? load().then(
          (module) => (hljs.registerLanguage(language, module.default), true),
          () => false
        )
      : Promise.resolve(false)
    registered.set(language, ready)
  }
  return ready
}

/** A function that colours one line of `path` as escaped HTML, or null when there is no grammar for it. */
export async function lineHighlighter(path: string): Promise<((line: string) => string) | null> {
  const language = languageOf(path)
  if (language === null) return null
  core ??= import('highlight.js/lib/core').then((module) => module.default)
  const hljs = await core
  if (!(await grammar(hljs, language))) return null
  return (line) => hljs.highlight(line, { language, ignoreIllegals: true }).value
}
