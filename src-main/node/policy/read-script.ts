// Turns a tree-sitter-bash syntax tree into a ShellScript: simple commands with evaluated words,
// redirects, pipelines and the constructs that change the shell. Nothing here decides risk.
import type { SyntaxNode } from './bash-parser'
import type { ShellCommand, ShellConstruct, ShellExpansion, ShellRedirect, ShellScript, ShellWord } from './shell-syntax'
import { HOME_MARK, PWD_MARK, UNKNOWN } from './shell-syntax'
import { decodeAnsiC, hasBraceExpansion, hasUnquotedGlob, unescapeDoubleQuoted, unescapeUnquoted } from './shell-words'

interface Context {
  subshells: readonly number[]
  inFunction: boolean
}

interface Piece {
  value: string
  literal: boolean
  resolved: boolean
  /** Unquoted source text, for glob and brace detection. */
  unquoted: string
  obfuscated: boolean
  processSubstitution: boolean
}

const WORD_TYPES = new Set([
  'word',
  'number',
  'string',
  'raw_string',
  'ansi_c_string',
  'translated_string',
  'concatenation',
  'simple_expansion',
  'expansion',
  'command_substitution',
  'process_substitution',
  'arithmetic_expansion',
  'brace_expression'
])

const TOP: Context = { subshells: [], inFunction: false }

export function readScript(root: SyntaxNode): ShellScript {
  const reader = new ScriptReader()
  reader.statement(root, TOP)
  return { source: root.text, commands: reader.commands, pipelines: reader.pipelines, constructs: reader.constructs, expansions: reader.expansions }
}

function literalPiece(value: string, unquoted = ''): Piece {
  return { value, literal: true, resolved: true, unquoted, obfuscated: false, processSubstitution: false }
}

function unknownPiece(): Piece {
  return { value: UNKNOWN, literal: false, resolved: false, unquoted: '', obfuscated: false, processSubstitution: false }
}

function joinPieces(pieces: Piece[]): Piece {
  return {
    value: pieces.map((piece) => piece.value).join(''),
    literal: pieces.every((piece) => piece.literal),
    resolved: pieces.every((piece) => piece.resolved),
    unquoted: pieces.map((piece) => piece.unquoted).join(''),
    obfuscated: pieces.some((piece) => piece.obfuscated),
    processSubstitution: pieces.some((piece) => piece.processSubstitution)
  }
}

function variablePiece(name: string): Piece {
  if (name === 'HOME') return { ...literalPiece(HOME_MARK), literal: false }
  if (name === 'PWD') return { ...literalPiece(PWD_MARK), literal: false }
  return unknownPiece()
}

function fieldChildren(node: SyntaxNode, field: string): SyntaxNode[] {
  return node.children.filter((child) => child.field === field)
}

function containsPipeOrBackground(node: SyntaxNode): boolean {
  if (node.type === 'pipeline' || (!node.named && node.type === '&')) return true
  return node.children.some(containsPipeOrBackground)
}

class ScriptReader {
  readonly commands: ShellCommand[] = []
  readonly pipelines: ShellCommand[][][] = []
  readonly constructs: ShellConstruct[] = []
  readonly expansions: ShellExpansion[] = []
  #subshellCount = 0

  private subshell(context: Context): Context {
    this.#subshellCount += 1
    return { ...context, subshells: [...context.subshells, this.#subshellCount] }
  }

  statement(node: SyntaxNode, context: Context): void {
    switch (node.type) {
      case 'command':
        this.command(node, node.text, [], context)
        return
      case 'redirected_statement':
        this.redirectedStatement(node, context)
        return
      case 'pipeline':
        this.pipeline(node, [], context)
        return
      case 'subshell':
        this.children(node, this.subshell(context))
        return
      case 'function_definition':
        this.functionDefinition(node, context)
        return
      case 'declaration_command':
        this.readNamedParts(node, context)
        this.constructs.push({ kind: 'declaration', keyword: node.children[0]?.text ?? '', text: node.text })
        return
      case 'variable_assignment':
      case 'variable_assignments': {
        const assignments = node.type === 'variable_assignment' ? [node] : node.children.filter((child) => child.type === 'variable_assignment')
        const values = assignments.map((assignment) => {
          let value: ShellWord | null = null
          for (const child of assignment.children) {
            if (child.field === 'value') value = this.word(child, context)
            else if (child.named && child.type !== 'variable_name') this.statement(child, context)
          }
          return { name: fieldChildren(assignment, 'name')[0]?.text ?? '', value }
        })
        this.constructs.push({ kind: 'assignment', assignments: values, text: node.text })
        return
      }
      case 'unset_command':
        this.readNamedParts(node, context)
        this.constructs.push({ kind: 'unset', text: node.text })
        return
      case 'comment':
        return
      case 'file_redirect': {
        // A redirect with no command (`$(< file)`, `$(> file)`) still opens the file.
        const { redirect } = this.redirect(node, context)
        this.constructs.push({ kind: 'group-redirect', redirect, text: node.text, withoutCommand: true })
        return
      }
      default:
        if (WORD_TYPES.has(node.type)) this.word(node, context)
        else this.children(node, context)
    }
  }

  /** Statements in sequence; one followed by `&` runs in the background, in a subshell. */
  private children(node: SyntaxNode, context: Context): void {
    node.children.forEach((child, index) => {
      if (!child.named) return
      const next = node.children[index + 1]
      const background = next !== undefined && !next.named && next.type === '&'
      this.statement(child, background ? this.subshell(context) : context)
    })
  }

  private readNamedParts(node: SyntaxNode, context: Context): void {
    for (const child of node.children) {
      if (child.named && child.type !== 'variable_name') this.statement(child, context)
    }
  }

  private redirectedStatement(node: SyntaxNode, context: Context): void {
    const body = fieldChildren(node, 'body')[0]
    const redirects = node.children.filter((child) => child.field === 'redirect' || child.type.endsWith('_redirect'))
    if (body?.type === 'command') {
      this.command(body, node.text, redirects, context)
      return
    }
    if (body) this.statement(body, context)
    for (const redirectNode of redirects) {
      const { redirect, trailing } = this.redirect(redirectNode, context)
      this.constructs.push({ kind: 'group-redirect', redirect, text: node.text, withoutCommand: body === undefined })
      for (const statement of trailing.statements) this.statement(statement, context)
      if (trailing.pipeline) this.pipeline(trailing.pipeline, [], context)
    }
  }

  private pipeline(node: SyntaxNode, leadingStages: ShellCommand[][], context: Context): void {
    const stages = [...leadingStages]
    for (const child of node.children) {
      if (!child.named) continue
      const before = this.commands.length
      this.statement(child, this.subshell(context))
      stages.push(this.commands.slice(before))
    }
    this.pipelines.push(stages)
  }

  private functionDefinition(node: SyntaxNode, context: Context): void {
    const name = fieldChildren(node, 'name')[0]?.text ?? ''
    const body = fieldChildren(node, 'body')[0]
    const before = this.commands.length
    if (body) this.statement(body, { ...context, inFunction: true })
    for (const redirect of fieldChildren(node, 'redirect')) this.redirect(redirect, context)
    this.constructs.push({
      kind: 'function',
      name,
      body: this.commands.slice(before),
      backgroundOrPipeInBody: body ? containsPipeOrBackground(body) : false
    })
  }

  private command(node: SyntaxNode, text: string, extraRedirects: SyntaxNode[], context: Context): void {
    const command: ShellCommand = {
      index: this.commands.length,
      text,
      assignments: [],
      words: [],
      redirects: [],
      subshells: context.subshells,
      inFunction: context.inFunction
    }
    this.commands.push(command)
    const trailingStatements: SyntaxNode[] = []
    let trailingPipeline: SyntaxNode | null = null
    const addRedirect = (redirectNode: SyntaxNode): void => {
      const { redirect, trailing } = this.redirect(redirectNode, context)
      command.redirects.push(redirect)
      trailingStatements.push(...trailing.statements)
      trailingPipeline ??= trailing.pipeline
    }
    for (const child of node.children) {
      if (child.type === 'variable_assignment') {
        const name = fieldChildren(child, 'name')[0]?.text ?? ''
        const valueNode = fieldChildren(child, 'value')[0]
        command.assignments.push({ name, value: valueNode ? this.word(valueNode, context) : this.emptyWord() })
      } else if (child.field === 'name') {
        const nameNode = child.children.find((part) => part.named) ?? child
        command.words.push(this.word(nameNode, context))
      } else if (child.field === 'argument') {
        command.words.push(this.word(child, context))
      } else if (child.field === 'redirect' || child.type.endsWith('_redirect')) {
        addRedirect(child)
      } else if (child.named) {
        this.statement(child, context)
      }
    }
    for (const redirectNode of extraRedirects) addRedirect(redirectNode)
    if (trailingPipeline) this.pipeline(trailingPipeline, [[command]], context)
    for (const statement of trailingStatements) this.statement(statement, context)
  }

  // A heredoc redirect also carries what follows its start line (`cat <<EOF | sh`, `<<EOF && ls`),
  // because the body comes later in the text; those parts are returned as `trailing`.
  private redirect(
    node: SyntaxNode,
    context: Context
  ): { redirect: ShellRedirect; trailing: { statements: SyntaxNode[]; pipeline: SyntaxNode | null } } {
    const none = { statements: [], pipeline: null }
    switch (node.type) {
      case 'file_redirect': {
        const operator = node.children.find((child) => !child.named)?.text ?? '>'
        const destination = fieldChildren(node, 'destination')[0] ?? node.children.find((child) => child.named && child.field !== 'descriptor')
        const target = destination ? this.word(destination, context) : null
        return { redirect: { kind: fileRedirectKind(operator, target), operator, target, text: null }, trailing: none }
      }
      case 'herestring_redirect': {
        const content = node.children.find((child) => child.named && child.field !== 'descriptor')
        const target = content ? this.word(content, context) : null
        const text = target?.resolved ? target.value : null
        return { redirect: { kind: 'herestring', operator: '<<<', target, text }, trailing: none }
      }
      case 'heredoc_redirect':
        return this.heredoc(node, context)
      default: {
        this.statement(node, context)
        return { redirect: { kind: 'read', operator: node.type, target: null, text: null }, trailing: none }
      }
    }
  }

  private heredoc(node: SyntaxNode, context: Context): { redirect: ShellRedirect; trailing: { statements: SyntaxNode[]; pipeline: SyntaxNode | null } } {
    const start = node.children.find((child) => child.type === 'heredoc_start')?.text ?? ''
    const body = node.children.find((child) => child.type === 'heredoc_body')
    const quoted = /['"\\]/.test(start)
    let text: string | null = body?.text ?? ''
    if (!quoted && body) {
      const expansions = body.children.filter((child) => child.named && child.type !== 'heredoc_content')
      for (const expansion of expansions) this.statement(expansion, context)
      const backquoted = backquotedParts(body.text)
      for (const part of backquoted) this.constructs.push({ kind: 'backquoted', text: part })
      if (expansions.length > 0 || backquoted.length > 0) text = null
    }
    const statements: SyntaxNode[] = []
    let pipeline: SyntaxNode | null = null
    for (const child of node.children) {
      if (child.field === 'right') statements.push(child)
      else if (child.type === 'pipeline') pipeline = child
    }
    const redirect: ShellRedirect = { kind: 'heredoc', operator: '<<', target: null, text }
    return { redirect, trailing: { statements, pipeline } }
  }

  private emptyWord(): ShellWord {
    return { source: '', value: '', literal: true, resolved: true, glob: false, obfuscated: false, nested: [], processSubstitution: false }
  }

  word(node: SyntaxNode, context: Context): ShellWord {
    const before = this.commands.length
    const piece = this.piece(node, context, true)
    return {
      source: node.text,
      value: piece.value,
      literal: piece.literal,
      resolved: piece.resolved,
      glob: hasUnquotedGlob(piece.unquoted) || hasBraceExpansion(piece.unquoted),
      obfuscated: piece.obfuscated,
      nested: this.commands.slice(before),
      processSubstitution: piece.processSubstitution
    }
  }

  private piece(node: SyntaxNode, context: Context, atStart: boolean): Piece {
    switch (node.type) {
      case 'word': {
        const raw = node.text
        if (atStart && /^~(\/|$)/.test(raw)) return { ...literalPiece(HOME_MARK + unescapeUnquoted(raw.slice(1)), raw), literal: false }
        if (atStart && raw.startsWith('~')) return { ...unknownPiece(), unquoted: raw }
        return literalPiece(unescapeUnquoted(raw), raw)
      }
      case 'number':
        return literalPiece(node.text, node.text)
      case 'raw_string':
        return literalPiece(node.text.slice(1, -1))
      case 'ansi_c_string':
        return { ...literalPiece(decodeAnsiC(node.text.slice(2, -1))), obfuscated: true }
      case 'string':
      case 'translated_string': {
        const pieces = node.children.flatMap((child): Piece[] => {
          if (child.type === 'string_content') return [literalPiece(unescapeDoubleQuoted(child.text))]
          if (!child.named) return []
          return [{ ...this.piece(child, context, false), unquoted: '' }]
        })
        const joined = joinPieces(pieces)
        return node.type === 'translated_string' ? { ...joined, obfuscated: true } : joined
      }
      case 'concatenation':
        return joinPieces(node.children.map((child, index) => this.piece(child, context, atStart && index === 0)))
      case 'simple_expansion': {
        const name = node.children.find((child) => child.named)?.text ?? ''
        this.expansions.push({ name, indirect: false })
        return variablePiece(name)
      }
      case 'expansion': {
        const named = node.children.filter((child) => child.named)
        const only = named[0]
        const variable = named.find((child) => child.type === 'variable_name')
        const indirect = node.children.some((child) => !child.named && child.text === '!' && child.field === 'operator')
        if (variable || indirect) this.expansions.push({ name: variable?.text ?? '', indirect })
        if (named.length === 1 && only?.type === 'variable_name' && node.children.length === 3) return variablePiece(only.text)
        for (const child of named) this.statement(child, context)
        return unknownPiece()
      }
      case 'command_substitution':
        this.children(node, this.subshell(context))
        return unknownPiece()
      case 'process_substitution':
        this.children(node, this.subshell(context))
        return { ...unknownPiece(), processSubstitution: true }
      default:
        for (const child of node.children) if (child.named) this.statement(child, context)
        return unknownPiece()
    }
  }
}

/** The commands between backquotes in text the parser did not split (an unterminated one runs to the end). */
function backquotedParts(text: string): string[] {
  const parts: string[] = []
  let current: string | null = null
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string
    if (char === '\\') {
      const next = text[index + 1] ?? ''
      if (current !== null) current += next === '`' || next === '$' || next === '\\' ? next : char + next
      index += 1
    } else if (char === '`') {
      if (current === null) current = ''
      else {
        parts.push(current)
        current = null
      }
    } else if (current !== null) current += char
  }
  if (current !== null) parts.push(current)
  return parts
}

function fileRedirectKind(operator: string, target: ShellWord | null): ShellRedirect['kind'] {
  const toDescriptor = target !== null && target.literal && /^(\d+|-)$/.test(target.value)
  switch (operator) {
    case '<':
      return 'read'
    case '>&-':
    case '<&-':
      return 'duplicate'
    case '<&':
      return toDescriptor ? 'duplicate' : 'read'
    case '>&':
      return toDescriptor ? 'duplicate' : 'write'
    default:
      return 'write'
  }
}
