// Classifies a shell command line: allow (every sub-command is plain and read-only), ask, or
// forbid (the destructive floor). Parses with tree-sitter-bash and judges every simple command,
// including those inside substitutions, `bash -c`, `eval`, `xargs` and `find -exec`.
import { lstatSync } from 'node:fs'
import { posix } from 'node:path'
import type { RiskDecision } from '../../common/run/records'
import type { BashParser } from './bash-parser'
import { CommandJudge, type PendingVerdict } from './command-judge'
import type { Finding } from './findings'
import { askAlways, floor, opaque, strictest } from './findings'
import type { PathEnvironment } from './path-scope'
import { hasPadding, hiddenCharactersIn, withoutHiddenCharacters } from '../../common/text/display-text'
import { secretMention } from './sensitive-paths'
import { LINE_LIKE_SEPARATORS } from './shell-words'

export interface SubcommandVerdict {
  /** The sub-command as shown to the person. */
  text: string
  /** What rules match: the program, then each argument; null where a word is not literal. */
  tokens: (string | null)[]
  decision: RiskDecision
  /** Why it does not run unasked: the reasons at its decision's level only. */
  reasons: string[]
  /** Every reason it asks can be lifted by a saved allow rule matching `tokens`. */
  liftable: boolean
  /** Its text hides what will run: no rule or mode lets it through unasked. */
  opaque: boolean
  /** Its words hold `$(...)`, backticks or `<(...)`: no rule is suggested for it (what they print is unknown). */
  substitutes: boolean
}

export interface CommandClassification {
  decision: RiskDecision
  reasons: string[]
  subcommands: SubcommandVerdict[]
  /** Findings about the command as a whole (parse errors, hidden characters, shell functions); rules cannot lift them. */
  findings: Finding[]
}

function finish(verdict: PendingVerdict): SubcommandVerdict {
  const decision = strictest(verdict.findings.map((finding) => finding.decision))
  const reasons = verdict.findings.filter((finding) => finding.decision === decision).map((finding) => finding.reason)
  return {
    text: verdict.text,
    tokens: verdict.tokens,
    decision,
    reasons: [...new Set(reasons)],
    liftable: verdict.findings.every((finding) => finding.decision === 'ask' && finding.liftable),
    opaque: verdict.findings.some((finding) => finding.opaque),
    substitutes: substitutes(verdict.invocation)
  }
}

function substitutes(invocation: PendingVerdict['invocation']): boolean {
  const words = [...invocation.argv, ...invocation.assignments.map((assignment) => assignment.value)]
  return words.some((word) => word.nested.length > 0 || word.processSubstitution)
}

function summarize(subcommands: SubcommandVerdict[], findings: Finding[]): CommandClassification {
  const decision = strictest([...subcommands.map((subcommand) => subcommand.decision), ...findings.map((finding) => finding.decision)])
  const ordered: string[] = []
  for (const level of ['forbid', 'ask'] as const) {
    for (const finding of findings) if (finding.decision === level) ordered.push(finding.reason)
    for (const subcommand of subcommands) {
      if (subcommand.decision === level) ordered.push(...subcommand.reasons.map((reason) => `${subcommand.text}: ${reason}`))
    }
  }
  if (decision === 'allow') ordered.push(`read-only: ${subcommands.map((subcommand) => subcommand.text).join('; ') || 'nothing to run'}`)
  return { decision, reasons: [...new Set(ordered)], subcommands, findings }
}

/**
 * One classification sees the file system at one moment: each path is resolved and sized once,
 * one `lstat` per new path component, starting from the directories already known to be real, and
 * each word naming a path is resolved and classified once however many checks ask about it.
 */
function memoized(environment: PathEnvironment): PathEnvironment {
  const realpaths = new Map<string, string>([environment.workspace, environment.home, '/'].map((path) => [path, path]))
  const sizes = new Map<string, number | null>()
  const realpath = (path: string): string => {
    const known = realpaths.get(path)
    if (known !== undefined) return known
    const parent = posix.dirname(path)
    let real: string
    if (parent === path) real = path
    else if (isSymlink(path)) real = environment.realpath(path)
    else real = posix.join(realpath(parent), posix.basename(path))
    realpaths.set(path, real)
    return real
  }
  return {
    ...environment,
    realpath,
    references: new Map(),
    sizeOf: (path) => {
      if (!sizes.has(path)) sizes.set(path, environment.sizeOf(path))
      return sizes.get(path) ?? null
    }
  }
}

/** False for a missing path, or one that cannot exist (a name too long, a file used as a folder). */
function isSymlink(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false
  } catch {
    return false
  }
}

function judge(parser: BashParser, environment: PathEnvironment, source: string): { subcommands: SubcommandVerdict[]; findings: Finding[] } {
  const judgement = new CommandJudge(parser, environment)
  judgement.script(source, environment.workspace, 0, null)
  return { subcommands: judgement.verdicts.map(finish), findings: judgement.findings }
}

/** Classifies `source` as if it starts in the workspace root. Never runs anything. */
export function classifyShellCommand(parser: BashParser, source: string, fileSystem: PathEnvironment): CommandClassification {
  if (source.trim().length === 0) return summarize([], [askAlways('the command is empty')])
  const environment = memoized(fileSystem)
  const { subcommands, findings } = judge(parser, environment, source)
  const mention = secretMention(source)
  if (mention) findings.push(floor(`reads credentials: ${mention}`))
  if (hasPadding(source)) findings.push(opaque('contains long runs of blank space that can push part of it out of sight'))
  const hiddenCharacters = hiddenCharactersIn(source)
  if (hiddenCharacters.length > 0) {
    const shown = hiddenCharacters.slice(0, 8).join(' ') + (hiddenCharacters.length > 8 ? ' …' : '')
    findings.push(opaque(`contains characters that display differently from how they run (control, bidi, zero-width or invisible characters: ${shown}); they are shown escaped`))
    // Another reader (a terminal, a log, another shell) may split lines there or drop what it
    // does not show: judge those readings too.
    const readings = [
      { how: 'read with its separators as new lines', text: source.replace(LINE_LIKE_SEPARATORS, '\n') },
      { how: 'read without its invisible characters', text: withoutHiddenCharacters(source) }
    ]
    for (const { how, text } of readings) {
      const other = judge(parser, environment, text)
      const hidden = other.findings.filter((finding) => finding.decision === 'forbid').map((finding) => finding.reason)
      for (const subcommand of other.subcommands) if (subcommand.decision === 'forbid') hidden.push(...subcommand.reasons)
      for (const reason of new Set(hidden)) findings.push(floor(`${how}: ${reason}`))
    }
  }
  return summarize(subcommands, findings)
}
