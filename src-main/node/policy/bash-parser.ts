// Parses shell text with tree-sitter-bash (WASM) into a plain syntax tree. The WASM runtime and
// the grammar load once per process; every parse after that is synchronous and takes microseconds.
// Agents run the same commands again and again (tests, status, diffs), so recent trees are kept:
// a tree is a pure function of the text, and nothing changes one once it is built.
import { createRequire } from 'node:module'
import { Language, Parser } from 'web-tree-sitter'

export interface SyntaxNode {
  readonly type: string
  /** Named nodes are grammar rules; anonymous ones are punctuation and keywords such as `&&`. */
  readonly named: boolean
  /** The grammar field this node fills in its parent (`name`, `argument`, `redirect`, ...). */
  readonly field: string | null
  readonly text: string
  readonly children: readonly SyntaxNode[]
}

/** A node while its tree is being copied. */
type NodeInProgress = SyntaxNode & { children: SyntaxNode[] }

export interface ParsedShell {
  root: SyntaxNode
  /** True when tree-sitter had to recover: ERROR or MISSING nodes anywhere. */
  hasError: boolean
  /** Nesting beyond MAX_SYNTAX_DEPTH; the copy stops there, so the tree is incomplete. */
  tooDeep: boolean
}

export interface BashParser {
  parse(source: string): ParsedShell
}

let loading: Promise<BashParser> | null = null

/** The shared parser. Loading fails with a clear error when the grammar is missing. */
export function loadBashParser(): Promise<BashParser> {
  loading ??= createParser().catch((error: unknown) => {
    loading = null
    throw new Error(`cannot load the bash grammar (tree-sitter-bash): ${(error as Error).message}`)
  })
  return loading
}

async function createParser(): Promise<BashParser> {
  const require = createRequire(import.meta.url)
  await Parser.init()
  const language = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'))
  const parser = new Parser()
  parser.setLanguage(language)
  const parseOnce = (source: string): ParsedShell => {
    const tree = parser.parse(source)
    if (!tree) throw new Error('the bash parser returned no tree')
    try {
      const hasError = tree.rootNode.hasError
      const { root, depth } = copyTree(tree.walk(), source, hasError)
      return { root, hasError, tooDeep: depth > MAX_SYNTAX_DEPTH }
    } finally {
      tree.delete()
    }
  }
  const recent = new Map<string, ParsedShell>()
  return {
    parse(source: string): ParsedShell {
      const known = recent.get(source)
      if (known) {
        // Most recently used last, so the first key is the one to drop.
        recent.delete(source)
        recent.set(source, known)
        return known
      }
      const parsed = parseOnce(source)
      if (source.length <= CACHED_SOURCE_CHARS) {
        recent.set(source, parsed)
        if (recent.size > CACHED_TREES) recent.delete(recent.keys().next().value as string)
      }
      return parsed
    }
  }
}

const CACHED_TREES = 256
/** Longer texts (heredocs, generated scripts) are rarely run twice and would hold memory. */
const CACHED_SOURCE_CHARS = 4096

type Cursor = ReturnType<NonNullable<ReturnType<Parser['parse']>>['walk']>

/** Deeper trees are not classified (the classifier walks recursively); such input asks. */
export const MAX_SYNTAX_DEPTH = 200

// One cursor pass copies the tree into plain objects so the classifier never touches WASM memory
// and the tree can be freed at once. Indexes are UTF-16 code units, so slicing the source is exact.
// MISSING nodes only exist in trees with errors, so a clean tree skips that check on every node.
function copyTree(cursor: Cursor, source: string, mayHaveMissing: boolean): { root: SyntaxNode; depth: number } {
  try {
    const root = copyNode(cursor, source, mayHaveMissing)
    const parents: NodeInProgress[] = []
    let current = root
    let depth = 0
    for (;;) {
      if (parents.length < MAX_SYNTAX_DEPTH && cursor.gotoFirstChild()) {
        parents.push(current)
        depth = Math.max(depth, parents.length)
      } else {
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) return { root, depth }
          parents.pop()
        }
      }
      const parent = parents[parents.length - 1]
      if (!parent) return { root, depth }
      current = copyNode(cursor, source, mayHaveMissing)
      parent.children.push(current)
      if (parents.length === MAX_SYNTAX_DEPTH && cursor.gotoFirstChild()) {
        cursor.gotoParent()
        depth = MAX_SYNTAX_DEPTH + 1
      }
    }
  } finally {
    cursor.delete()
  }
}

function copyNode(cursor: Cursor, source: string, mayHaveMissing: boolean): NodeInProgress {
  return {
    type: mayHaveMissing && cursor.nodeIsMissing ? 'MISSING' : cursor.nodeType,
    named: cursor.nodeIsNamed,
    field: cursor.currentFieldName,
    text: source.slice(cursor.startIndex, cursor.endIndex),
    children: []
  }
}
