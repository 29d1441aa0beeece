// The layering rules of the source tree as code: which folder may import what. A test runs the
// checker over the whole tree; it is a function so that a test can also prove it catches a
// violation in a synthetic file.
import { builtinModules } from 'node:module'
import { posix } from 'node:path'
import ts from 'typescript'

export type Layer =
  | 'common'
  | 'node'
  | 'electron-main'
  | 'preload'
  | 'renderer'
  | 'test-support'
  | 'sim'
  | 'bench'
  | 'e2e'
  | 'other'

export interface ImportRef {
  /** Repository-relative, `/`-separated. */
  file: string
  line: number
  specifier: string
  /** `import type` / `export type` / `import('x').T`: erased, nothing is loaded at run time. */
  typeOnly: boolean
}

export interface Violation extends ImportRef {
  reason: string
}

const NODE_BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith('_')))
const NATIVE_NODE_PACKAGES = ['ws', 'node-pty', 'isolated-vm']
/** npm packages the renderer may use: UI only, nothing that reaches the file system or network. */
const RENDERER_PACKAGES = ['svelte', 'marked', 'dompurify', '@xterm', 'highlight.js', '@tanstack/virtual-core']

export function layerOf(file: string): Layer {
  const prefixes: [string, Layer][] = [
    ['src-main/common/', 'common'],
    ['src-main/node/', 'node'],
    ['src-main/electron-main/', 'electron-main'],
    ['src-main/preload/', 'preload'],
    ['src-main/test-support/', 'test-support'],
    ['src-renderer/', 'renderer'],
    ['sim/', 'sim'],
    ['bench/', 'bench'],
    ['e2e/', 'e2e']
  ]
  return prefixes.find(([prefix]) => file.startsWith(prefix))?.[1] ?? 'other'
}

function isTestFile(file: string): boolean {
  return /\.(test|spec)\.[cm]?[jt]s$/.test(file)
}

/** The package an import names: `@scope/name` or `name`, without any subpath. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier)
}

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(packageOf(specifier))
}

/** Names the process-bound kind of module, to make the reason obvious. */
function hostOf(specifier: string): string {
  if (isNodeBuiltin(specifier)) return ' (this is a Node built-in)'
  if (NATIVE_NODE_PACKAGES.includes(packageOf(specifier))) return ' (this is a native Node package)'
  if (packageOf(specifier) === 'electron') return ' (this is Electron)'
  return ''
}

function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../')
}

/** Why `ref` breaks the layering, or null when it is allowed. */
export function checkImport(ref: ImportRef): string | null {
  const from = layerOf(ref.file)
  const test = isTestFile(ref.file)
  const { specifier } = ref
  if (isRelative(specifier) || specifier.startsWith('/')) {
    const target = posix.normalize(posix.join(posix.dirname(ref.file), specifier))
    return checkRelative(from, layerOf(target), test, target)
  }
  const name = packageOf(specifier)
  if (test && name === 'vitest') return null
  switch (from) {
    case 'common':
      if (name === 'zod') return null
      if (name === 'openai' && ref.typeOnly) return null
      if (name === 'openai') return "src-main/common may use openai only for types: write `import type`"
      return `src-main/common is pure TypeScript${hostOf(specifier)}: it may import only zod, type-only openai and src-main/common`
    case 'renderer':
      if (RENDERER_PACKAGES.includes(name) || RENDERER_PACKAGES.includes(name.split('/')[0] ?? '')) return null
      return `the renderer${hostOf(specifier)} may import only src-main/common and UI packages (${RENDERER_PACKAGES.join(', ')})`
    case 'preload':
      if (name === 'electron') return null
      return `the sandboxed preload${hostOf(specifier)} may import only electron and src-main/common`
    case 'electron-main':
      if (NATIVE_NODE_PACKAGES.includes(name)) return `${name} runs only under src-main/node, never in the Electron process`
      return null
    case 'node':
    case 'test-support':
    case 'sim':
    case 'bench':
    case 'e2e':
    case 'other':
      if (name === 'electron') return 'electron may be imported only in src-main/electron-main and src-main/preload'
      return null
  }
}

function checkRelative(from: Layer, to: Layer, test: boolean, target: string): string | null {
  if (test && to === 'test-support') return null
  switch (from) {
    case 'common':
      return to === 'common' ? null : `src-main/common may import only src-main/common, not ${target}`
    case 'renderer':
      return to === 'renderer' || to === 'common' ? null : `the renderer may import only src-main/common, not ${target}`
    case 'preload':
      return to === 'preload' || to === 'common' ? null : `the preload may import only src-main/common, not ${target}`
    case 'node':
      return to === 'electron-main' || to === 'preload' || to === 'renderer'
        ? `src-main/node must not depend on ${to} code (${target})`
        : null
    case 'electron-main':
      return to === 'renderer' || to === 'preload' ? `the Electron main process must not import ${to} code (${target})` : null
    case 'test-support':
    case 'sim':
    case 'bench':
    case 'e2e':
    case 'other':
      return to === 'renderer' ? `only the renderer build may import renderer code (${target})` : null
  }
}

function importsOfSource(file: string, source: string, lineOffset: number): ImportRef[] {
  const kind = file.endsWith('.js') || file.endsWith('.mjs') ? ts.ScriptKind.JS : ts.ScriptKind.TS
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, kind)
  const refs: ImportRef[] = []
  const add = (node: ts.Node, specifier: ts.Expression | undefined, typeOnly: boolean): void => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return
    const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1 + lineOffset
    refs.push({ file, line, specifier: specifier.text, typeOnly })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.importClause?.isTypeOnly === true)
    } else if (ts.isExportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.isTypeOnly)
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true)
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require'
      if (isDynamicImport || isRequire) add(node, node.arguments[0], false)
    }
    ts.forEachChild(node, visit)
  }
  visit(sourceFile)
  return refs
}

/** Every import of a file; for a Svelte component, of its `<script>` blocks. */
export function importsOf(file: string, source: string): ImportRef[] {
  if (!file.endsWith('.svelte')) return importsOfSource(file, source, 0)
  const refs: ImportRef[] = []
  for (const match of source.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
    const body = match[1] ?? ''
    const before = source.slice(0, (match.index ?? 0) + match[0].indexOf('>') + 1)
    refs.push(...importsOfSource(file, body, before.split('\n').length - 1))
  }
  return refs
}

export function checkFile(file: string, source: string): Violation[] {
  return importsOf(file, source).flatMap((ref) => {
    const reason = checkImport(ref)
    return reason === null ? [] : [{ ...ref, reason }]
  })
}

export function formatViolation(violation: Violation): string {
  return `${violation.file}:${violation.line}: imports '${violation.specifier}': ${violation.reason}`
}
