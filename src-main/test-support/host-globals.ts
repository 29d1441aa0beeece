// Finds uses of Node-only or DOM-only globals (Buffer, process, document, ...) in code that must run
// in both hosts. Import rules cannot see these: the project's type check loads Node's types for
// every file, so `Buffer` in src-main/common would compile and then fail in the renderer.
import ts from 'typescript'

export interface HostGlobalUse {
  file: string
  line: number
  name: string
  host: 'node' | 'dom'
}

/** Globals both hosts provide; declared by Node's types and by lib.dom, so safe anywhere. */
const UNIVERSAL = new Set([
  'console',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'queueMicrotask',
  'structuredClone',
  'TextEncoder',
  'TextDecoder',
  'URL',
  'URLSearchParams',
  'AbortController',
  'AbortSignal',
  'atob',
  'btoa',
  'performance'
])

function hostOfDeclaration(declaration: ts.Declaration): HostGlobalUse['host'] | 'other' {
  const name = declaration.getSourceFile().fileName.replace(/\\/g, '/')
  if (name.includes('/node_modules/@types/node/')) return 'node'
  if (/\/lib\.dom(\.[a-z]+)?\.d\.ts$/.test(name) || /\/lib\.webworker/.test(name)) return 'dom'
  return 'other'
}

/** An identifier that names something by scope lookup, as opposed to a member after a dot or a key. */
function isScopeReference(node: ts.Identifier): boolean {
  const parent = node.parent
  if (ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent)) {
    return ts.isPropertyAccessExpression(parent) ? parent.expression === node : parent.left === node
  }
  if (ts.isShorthandPropertyAssignment(parent)) return true
  const named = parent as ts.Node & { name?: ts.Node; propertyName?: ts.Node }
  return named.name !== node && named.propertyName !== node
}

/**
 * Type-checks `files` with both Node's and the DOM's declarations loaded and reports every
 * identifier that resolves only to one of them.
 */
export function hostGlobalsUsedIn(root: string, files: string[]): HostGlobalUse[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    noEmit: true,
    skipLibCheck: true
  })
  const checker = program.getTypeChecker()
  const uses: HostGlobalUse[] = []
  for (const file of files) {
    const sourceFile = program.getSourceFile(file)
    if (!sourceFile) continue
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && !UNIVERSAL.has(node.text) && isScopeReference(node)) {
        const symbol = ts.isShorthandPropertyAssignment(node.parent)
          ? checker.getShorthandAssignmentValueSymbol(node.parent)
          : checker.getSymbolAtLocation(node)
        const hosts = new Set((symbol?.getDeclarations() ?? []).map(hostOfDeclaration))
        const [host] = hosts
        if (hosts.size === 1 && (host === 'node' || host === 'dom')) {
          const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1
          const relative = file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file
          uses.push({ file: relative, line, name: node.text, host })
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(sourceFile)
  }
  return uses
}
