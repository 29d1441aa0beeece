// What the classifier knows about a shell script: its simple commands, with every word evaluated
// as far as it can be without running anything, and the constructs that change the shell itself.

/** Stands in for text only known at run time (expansions, substitutions) inside `ShellWord.value`. */
export const UNKNOWN = '\u0000'
/** Stands in for the home directory (`~`, `$HOME`) inside `ShellWord.value`. */
export const HOME_MARK = '\u0001'
/** Stands in for the shell's working directory (`$PWD`) inside `ShellWord.value`. */
export const PWD_MARK = '\u0002'

export interface ShellWord {
  /** As written. */
  source: string
  /** Quotes removed, escapes processed; HOME_MARK and PWD_MARK for `~`, `$HOME`, `$PWD`; UNKNOWN for the rest. */
  value: string
  /** Nothing in it is expanded at run time: plain, quoted or escaped text. */
  literal: boolean
  /** `value` is exactly what the command receives (literal, or only `~`, `$HOME`, `$PWD`). */
  resolved: boolean
  /** Unquoted glob characters or a brace expansion: the shell may turn it into other words. */
  glob: boolean
  /** Written with `$'...'` or `$"..."`, which can hide what a word says. */
  obfuscated: boolean
  /** Commands inside `$(...)`, backticks or `<(...)` in this word, nested ones included. */
  nested: ShellCommand[]
  processSubstitution: boolean
}

export type RedirectKind = 'write' | 'read' | 'duplicate' | 'heredoc' | 'herestring'

export interface ShellRedirect {
  kind: RedirectKind
  operator: string
  /** The file (or fd, for `duplicate`; the text, for a here-string); null for heredocs. */
  target: ShellWord | null
  /** Heredoc body or here-string text when it is literal; null otherwise. */
  text: string | null
}

export interface ShellCommand {
  /** Position in `ShellScript.commands`. */
  index: number
  text: string
  /** `NAME=value` prefixes. */
  assignments: { name: string; value: ShellWord }[]
  /** The command name followed by its arguments. */
  words: ShellWord[]
  redirects: ShellRedirect[]
  /**
   * The subshells it runs in, outermost first (pipeline stages, `( )`, substitutions, background
   * jobs), each with its own id: a `cd` lasts only for later commands in the same subshell.
   */
  subshells: readonly number[]
  /** Inside a function body: runs only when the function is called. */
  inFunction: boolean
}

/** Constructs that change the persistent shell or cannot be judged command by command. */
export type ShellConstruct =
  | { kind: 'function'; name: string; body: ShellCommand[]; backgroundOrPipeInBody: boolean }
  | { kind: 'declaration'; keyword: string; text: string }
  | { kind: 'assignment'; assignments: { name: string; value: ShellWord | null }[]; text: string }
  | { kind: 'unset'; text: string }
  /** `withoutCommand`: a bare redirect (`> f`, `$(< f)`), which opens the file and writes nothing. */
  | { kind: 'group-redirect'; redirect: ShellRedirect; text: string; withoutCommand: boolean }
  /** A backquoted command in a heredoc body, which tree-sitter-bash leaves unparsed: parsed on its own. */
  | { kind: 'backquoted'; text: string }

/** A parameter expansion (`$NAME`, `${NAME:-x}`); `indirect` for `${!NAME}`, whose variable is named at run time. */
export interface ShellExpansion {
  name: string
  indirect: boolean
}

export interface ShellScript {
  source: string
  /** Every simple command in source order, those in substitutions and function bodies included. */
  commands: ShellCommand[]
  /** Each pipeline as its stages, each stage as the commands in it. */
  pipelines: ShellCommand[][][]
  constructs: ShellConstruct[]
  /** Every parameter expansion, in word, string, heredoc or substitution. */
  expansions: ShellExpansion[]
}
