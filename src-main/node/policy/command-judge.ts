// Judges every simple command of a script, those inside substitutions, `bash -c`, `eval`, `xargs`
// and `find -exec` included, and collects what keeps each from running unasked.
import { assertNever } from '../../common/run/records'
import type { BashParser } from './bash-parser'
import { commandName, DOWNLOADERS, isFilesystemMaker, PRIVILEGE_COMMANDS } from './command-names'
import {
  credentialPrinterFinding,
  declarationDumpFinding,
  environmentDumpFinding,
  expansionFindings,
  homeConfigReadFinding,
  patternWord,
  recursiveSecretFindings,
  secretWordFindings
} from './credential-reads'
import { carriedCommandTexts } from './carried-commands'
import { FLOOR_PROGRAMS, floorFindings, isRecursiveRemove, type FloorContext } from './destructive-floor'
import { DANGEROUS_ENVIRONMENT, environmentFinding, PROGRAM_VALUED, SHELL_RUNS_LATER } from './environment-assignments'
import type { Finding } from './findings'
import { ask, askAlways, floor, opaque } from './findings'
import { gitEmbeddedScripts } from './git-floor'
import { awkProgramProblem, codeOptionValues, inlineCodeFindings, isAwk } from './inline-code'
import { listsOnlyOrdinaryFiles } from './listed-files'
import { parseOptions } from './options'
import type { PathEnvironment } from './path-scope'
import { classifyPath, resolvePathWord } from './path-scope'
import { hasReadOnlyEntry, isContentReader, readOnlyProblem } from './read-only-commands'
import { readScript } from './read-script'
import type { ShellCommand, ShellRedirect, ShellScript, ShellWord } from './shell-syntax'
import type { Invocation } from './unwrap-command'
import { embeddedScripts, invocationsOf, isWrapper, type EmbeddedScript } from './unwrap-command'
import { writeTargets } from './write-targets'

/** Longer input is not classified (it asks). */
export const MAX_COMMAND_LENGTH = 256 * 1024
const MAX_NESTING = 8
/** Texts handed to other programs that one command may have searched for floor commands. */
const MAX_CARRIED_TEXTS = 64

const SHELL_NAME = /^(ba|z|da|k|mk|a)?sh$/
/** What an unknown program (`$X -rf /`) is checked as. */
const UNKNOWN_PROGRAM_CANDIDATES = ['rm', 'git', 'chmod', 'chown', 'dd', 'find']

export interface PendingVerdict {
  text: string
  tokens: (string | null)[]
  findings: Finding[]
  invocation: Invocation
}

function isDownloader(command: ShellCommand): boolean {
  return invocationsOf(command).some((invocation) => {
    const name = invocation.argv[0]
    return name?.resolved === true && DOWNLOADERS.has(commandName(name).base)
  })
}

/** What a stage writes to the pipe when that is exactly its literal text: `echo ...`, `printf ...`, `cat <<EOF`. */
function literalOutput(stage: ShellCommand[]): string | null {
  const [only] = stage
  if (stage.length !== 1 || !only) return null
  const [name, ...args] = only.words
  if (!name?.literal || !args.every((word) => word.literal)) return null
  switch (name.value) {
    case 'echo': {
      // `-e` and backslashes make echo print something else than what is written.
      if (args.some((word) => word.value.includes('\\')) || (args[0] && /^-[neE]*e/.test(args[0].value))) return null
      return args.filter((word, index) => !(index === 0 && /^-[nE]+$/.test(word.value))).map((word) => word.value).join(' ')
    }
    case 'printf': {
      const [format] = args
      if (args.length !== 1 || !format || /[%\\]/.test(format.value)) return null
      return format.value
    }
    case 'cat': {
      const fed = only.redirects.find((redirect) => redirect.kind === 'heredoc' || redirect.kind === 'herestring')
      return args.length === 0 && fed ? fed.text : null
    }
    default:
      return null
  }
}

/** The directory each command starts in, following `cd` within the subshell it ran in. */
class WorkingDirectories {
  #start: string | null
  #bySubshell = new Map<string, string | null>()

  constructor(start: string | null) {
    this.#start = start
  }

  at(command: ShellCommand): string | null {
    for (let length = command.subshells.length; length >= 0; length -= 1) {
      const key = command.subshells.slice(0, length).join('.')
      if (this.#bySubshell.has(key)) return this.#bySubshell.get(key) ?? null
    }
    return this.#start
  }

  moved(command: ShellCommand, cwd: string | null): void {
    this.#bySubshell.set(command.subshells.join('.'), cwd)
  }

  /** Where the script's own shell ends up. */
  get final(): string | null {
    return this.#bySubshell.has('') ? (this.#bySubshell.get('') ?? null) : this.#start
  }
}

export class CommandJudge {
  readonly verdicts: PendingVerdict[] = []
  readonly findings: Finding[] = []
  readonly #parser: BashParser
  readonly #environment: PathEnvironment
  /** Judging text carried by another program: its own arguments are not searched again (that would multiply). */
  readonly #carried: boolean
  /** Carried texts still to be judged for the whole command, so a huge command costs a bounded amount. */
  readonly #budget: { carried: number }

  constructor(parser: BashParser, environment: PathEnvironment, carried = false, budget = { carried: MAX_CARRIED_TEXTS }) {
    this.#parser = parser
    this.#environment = environment
    this.#carried = carried
    this.#budget = budget
  }

  script(source: string, cwd: string | null, depth: number, origin: string | null): void {
    const where = origin === null ? 'the command' : `the script given to ${origin}`
    if (depth > MAX_NESTING) {
      this.findings.push(opaque(`${where} nests scripts too deeply to classify`))
      return
    }
    if (source.length > MAX_COMMAND_LENGTH) {
      this.findings.push(opaque(`${where} is too long to classify (${source.length} characters)`))
      return
    }
    const parsed = this.#parser.parse(source)
    if (parsed.hasError) this.findings.push(opaque(`${where} does not parse cleanly as bash`))
    if (parsed.tooDeep) this.findings.push(opaque(`${where} nests too deeply to classify`))
    const script = readScript(parsed.root)
    this.findings.push(...expansionFindings(script.expansions))
    this.#judgeScript(script, cwd, depth, origin)
  }

  #judgeScript(script: ShellScript, startCwd: string | null, depth: number, origin: string | null): void {
    const byCommand = new Map<ShellCommand, PendingVerdict[]>()
    const cwdOf = new Map<ShellCommand, string | null>()
    const directories = new WorkingDirectories(startCwd)
    for (const command of script.commands) {
      const cwd = directories.at(command)
      cwdOf.set(command, cwd)
      const verdicts = invocationsOf(command).map((invocation, index) => this.#invocation(invocation, index === 0, cwd, depth, origin))
      byCommand.set(command, verdicts)
      const primary = verdicts[0]?.invocation
      const next = primary && !command.inFunction ? this.#cdTarget(primary, cwd) : undefined
      if (next !== undefined) directories.moved(command, next)
    }
    for (const stages of script.pipelines) this.#pipeline(stages, byCommand, cwdOf, depth)
    this.#downloadThenRun(script, byCommand)
    this.#readersOfListedFiles(script, byCommand)
    for (const construct of script.constructs) {
      switch (construct.kind) {
        case 'function': {
          const callsItself = construct.body.some((command) => byCommand.get(command)?.some((verdict) => verdict.invocation.argv[0]?.value === construct.name))
          if (callsItself && construct.backgroundOrPipeInBody) this.findings.push(floor(`a fork bomb: \`${construct.name}\` starts copies of itself`))
          this.findings.push(opaque(`defines the shell function \`${construct.name}\`, which stays defined and can change what later commands run`))
          break
        }
        case 'declaration': {
          const dump = declarationDumpFinding(construct.text)
          if (dump) this.findings.push(dump)
          else if (!/^(declare|typeset|export|readonly|local)(\s+-[fF]+)*\s*$/.test(construct.text)) {
            this.findings.push(askAlways(`\`${construct.text}\` changes the shell's variables for every later command`))
          }
          break
        }
        case 'assignment': {
          const exported = construct.assignments.map(({ name }) => name).filter((name) => !/[a-z]/.test(name))
          const dangerous = exported.filter((name) => DANGEROUS_ENVIRONMENT.test(name) || PROGRAM_VALUED.test(name))
          if (dangerous.length > 0) this.findings.push(opaque(`sets ${dangerous.join(', ')} in the shell, which changes what later commands run or load`))
          else if (exported.length > 0) this.findings.push(askAlways(`sets ${exported.join(', ')} in the shell, which can change what later commands do`))
          for (const { name, value } of construct.assignments) {
            if (!SHELL_RUNS_LATER.test(name) || !value) continue
            if (value.resolved) this.script(value.value, startCwd, depth + 1, name)
            else this.findings.push(opaque(`${name} holds shell code only known at run time, which the shell runs later`))
          }
          break
        }
        case 'unset':
          this.findings.push(askAlways(`\`${construct.text}\` changes the shell's variables for every later command`))
          break
        case 'group-redirect': {
          // tree-sitter-bash puts `cd x && echo > f` under one redirect; bash applies it to the last command, after the `cd`.
          for (const cwd of new Set([startCwd, directories.final])) {
            const emptying = construct.withoutCommand || EMPTYING_TAIL.test(construct.text.slice(0, construct.text.lastIndexOf(construct.redirect.operator)).replace(/\s*\d*$/, ''))
            const finding = this.#redirectFinding(construct.redirect, cwd, emptying, new Set())
            if (finding) this.findings.push(finding.decision === 'forbid' || finding.opaque ? finding : askAlways(finding.reason))
          }
          break
        }
        case 'backquoted':
          this.script(construct.text, startCwd, depth + 1, 'backquotes in a heredoc')
          break
        default:
          assertNever(construct, 'shell construct')
      }
    }
  }

  /**
   * `xargs cat`, `find -exec cat {} +`: a reader given file names at run time reads secrets when the
   * names can be `.env` or a key. It runs unasked only after a listing that cannot name them.
   */
  #readersOfListedFiles(script: ShellScript, byCommand: Map<ShellCommand, PendingVerdict[]>): void {
    const reading = (verdict: PendingVerdict): boolean => {
      const name = verdict.invocation.argv[0]
      return verdict.invocation.via.some((step) => step === 'xargs' || step.startsWith('find -')) && name?.resolved === true && isContentReader(commandName(name).base)
    }
    const unsafe = (verdict: PendingVerdict, lister: Invocation | undefined): void => {
      if (lister && listsOnlyOrdinaryFiles(lister)) return
      verdict.findings.push(opaque('reads files named only at run time, which may include `.env` files or keys'))
    }
    for (const verdicts of byCommand.values()) {
      const [own, ...inner] = verdicts
      for (const verdict of inner) if (reading(verdict)) unsafe(verdict, own?.invocation)
      if (own && !own.invocation.via.some((step) => step.startsWith('find -')) && own.invocation.via.includes('xargs') && reading(own)) {
        const stages = script.pipelines.find((pipeline) => pipeline.some((stage) => stage.includes(own.invocation.command)))
        const at = stages?.findIndex((stage) => stage.includes(own.invocation.command)) ?? -1
        const upstream = at > 0 ? stages?.[at - 1] : undefined
        const lister = upstream?.length === 1 && upstream[0] ? byCommand.get(upstream[0])?.[0]?.invocation : undefined
        const fromFile = own.invocation.command.redirects.some((redirect) => redirect.kind !== 'write' && redirect.kind !== 'duplicate')
        unsafe(own, fromFile ? undefined : lister)
      }
    }
  }

  /** `curl -o x.sh URL && sh x.sh`: a script run in the same command that downloads runs downloaded code. */
  #downloadThenRun(script: ShellScript, byCommand: Map<ShellCommand, PendingVerdict[]>): void {
    if (!script.commands.some(isDownloader)) return
    for (const verdicts of byCommand.values()) {
      for (const verdict of verdicts) {
        const name = verdict.invocation.argv[0]
        const runsFile = verdict.invocation.script?.kind === 'file' || (name?.resolved === true && name.value.includes('/') && !commandName(name).wellKnown)
        if (runsFile) verdict.findings.push(floor('runs a script or program in the same command that downloads, so it may run downloaded code'))
      }
    }
  }

  /** Where a `cd`, `pushd` or `popd` leaves the shell: undefined when the command is none of them, null when unknown. */
  #cdTarget(invocation: Invocation, cwd: string | null): string | null | undefined {
    const base = invocation.argv[0]?.value
    if (base !== 'cd' && base !== 'pushd' && base !== 'popd') return undefined
    if (base === 'popd') return null
    const target = parseOptions(invocation.argv.slice(1)).positionals[0]
    if (!target) return this.#environment.home
    if (target.value === '-') return null
    return resolvePathWord(target, cwd, this.#environment)?.resolved.path ?? null
  }

  #invocation(invocation: Invocation, primary: boolean, cwd: string | null, depth: number, origin: string | null): PendingVerdict {
    const findings: Finding[] = [...invocation.findings]
    const nameWord = invocation.argv[0]
    const args = invocation.argv.slice(1)
    const command = invocation.command
    const suffix = origin === null ? '' : ` (in ${origin})`
    const text = primary ? `${command.text}${suffix}` : `${invocation.argv.map((word) => word.source).join(' ')} (run by ${invocation.via.join(' ')})`
    const tokens: (string | null)[] = []
    const effectiveCwd = invocation.chdir ? (resolvePathWord(invocation.chdir, cwd, this.#environment)?.resolved.path ?? null) : cwd
    const context: FloorContext = { environment: this.#environment, cwd: effectiveCwd, dynamicTail: invocation.dynamicTail }
    const pattern = nameWord?.resolved ? patternWord(commandName(nameWord).base, args) : null
    const named = [...invocation.argv, ...invocation.assignments.map(({ value }) => value)].filter((word) => word !== pattern)
    findings.push(...secretWordFindings(named, effectiveCwd, this.#environment))
    if (!nameWord?.resolved) {
      findings.push(floor('the program to run is only known at run time (a variable or a substitution names it), so what it does cannot be checked'))
      findings.push(...unknownProgramFloor(args, context))
    } else {
      const name = commandName(nameWord)
      tokens.push(nameWord.obfuscated ? null : name.ruleToken, ...args.map((word) => (word.literal && !word.obfuscated ? word.value : null)))
      if (nameWord.obfuscated) findings.push(opaque("the program name is written in an encoded form ($'...')"))
      findings.push(...floorFindings(name.base, args, context))
      findings.push(...this.#writeTargetFindings(name.base, args, effectiveCwd))
      if (name.base === 'tee' && command.redirects.some((redirect) => redirect.kind === 'read' && redirect.target?.value === '/dev/null')) {
        findings.push(...this.#emptiedByTee(args, effectiveCwd))
      }
      findings.push(...this.#sensitiveFindings(name.base, args, effectiveCwd, depth))
      if (!hasReadOnlyEntry(name.base) && !FLOOR_PROGRAMS.has(name.base) && !isWrapper(name.base)) {
        findings.push(...embeddedFloor(name.base, args, context))
        for (const embedded of embeddedScripts(name.base, args)) findings.push(...this.#embeddedScript(embedded, effectiveCwd, depth))
      }
      if (name.base === 'trap' || name.base === 'alias') findings.push(...this.#deferredCode(name.base, args, effectiveCwd, depth))
      if (invocation.script) findings.push(...this.#scriptFindings(invocation, effectiveCwd, depth))
      else if (name.base === 'cd' || name.base === 'pushd' || name.base === 'popd') {
        const problem = this.#cdProblem(invocation, cwd)
        if (problem) findings.push(problem)
      } else {
        const problem = name.wellKnown ? readOnlyProblem(name.base, args, invocation.dynamicTail) : `\`${nameWord.value}\` runs a program by path, not the well-known \`${name.base}\``
        if (problem) findings.push(ask(problem))
        // What it is given may be run later or elsewhere (a recipe, an editor command, a file it writes).
        const writes = command.redirects.some((redirect) => redirect.kind === 'write')
        if (problem || writes) findings.push(...this.#carriedFloor(this.#carriedTexts(invocation), effectiveCwd, depth, `\`${name.base}\``))
      }
    }
    for (const { name, value } of invocation.assignments) {
      const finding = environmentFinding(name, value)
      if (finding) findings.push(finding)
      if (PROGRAM_VALUED.test(name) && value.resolved) this.script(value.value, effectiveCwd, depth + 1, name)
    }
    if (primary) {
      const emptying = writesNothing(invocation)
      const reads = this.#pathsRead(invocation, effectiveCwd)
      for (const redirect of command.redirects) {
        const finding = this.#redirectFinding(redirect, effectiveCwd, emptying, reads)
        if (finding) findings.push(finding)
      }
    }
    const verdict = { text, tokens, findings, invocation }
    // `bash -c 'ls'` is shown as the commands of its script; the wrapper itself adds nothing.
    const carriesInlineScript = invocation.script?.kind === 'inline' && findings.length === 0
    if (!carriesInlineScript) this.verdicts.push(verdict)
    return verdict
  }

  /** `trap CODE SIGNAL` and `alias name=CODE` store code the shell runs later: it is judged now. */
  #deferredCode(base: 'trap' | 'alias', args: ShellWord[], cwd: string | null, depth: number): Finding[] {
    const positionals = parseOptions(args).positionals
    const code =
      base === 'trap'
        ? positionals.length >= 2 ? positionals.slice(0, 1).map((word) => ({ word, value: word.value })) : []
        : positionals.filter((word) => word.value.includes('=')).map((word) => ({ word, value: word.value.slice(word.value.indexOf('=') + 1) }))
    if (code.length === 0) return []
    const findings = [
      base === 'alias'
        ? opaque('`alias` changes what a later command name runs, so later commands would not run what they say')
        : askAlways('`trap` stores code the shell runs later, in this and later commands')
    ]
    for (const { word, value } of code) {
      if (word.resolved) this.script(value, cwd, depth + 1, base)
      else findings.push(opaque(`\`${base}\` stores shell code only known at run time`))
    }
    return findings
  }

  #cdProblem(invocation: Invocation, cwd: string | null): Finding | null {
    if (invocation.argv[0]?.value === 'popd') return ask('`popd` moves to a directory only known at run time')
    const target = parseOptions(invocation.argv.slice(1)).positionals[0]
    if (!target) return ask('`cd` without a directory moves to the home directory')
    const reference = resolvePathWord(target, cwd, this.#environment)
    if (!reference) return ask(`\`cd\` moves to \`${target.source}\`, only known at run time`)
    const scope = reference.resolved.scope
    return scope === 'workspace' || scope === 'inside' ? null : ask(`\`cd\` leaves the workspace (${reference.resolved.path})`)
  }

  #scriptFindings(invocation: Invocation, cwd: string | null, depth: number): Finding[] {
    const script = invocation.script
    if (!script) return []
    switch (script.kind) {
      case 'inline':
        this.script(script.text, cwd, depth + 1, script.origin)
        return []
      case 'dynamic':
        return downloadsInto(script.words, script.origin) ?? [floor(`runs shell code only known at run time (${script.origin}), so what it does cannot be checked`)]
      case 'foreign': {
        const [code] = script.words
        return downloadsInto(script.words, script.origin) ?? inlineCodeFindings(code?.resolved ? code.value : null, script.origin)
      }
      case 'stdin': {
        const fed = invocation.command.redirects.find((redirect) => redirect.kind === 'heredoc' || redirect.kind === 'herestring')
        const downloaded = fed?.target ? downloadsInto([fed.target], `${script.origin} <<<`) : null
        if (downloaded) return downloaded
        const isShell = SHELL_NAME.test(script.origin) || script.origin === 'fish'
        if (fed && fed.text !== null && isShell) {
          this.script(fed.text, cwd, depth + 1, `${script.origin} <<`)
          return []
        }
        if (fed && !isShell) return inlineCodeFindings(fed.text, `${script.origin} <<`)
        if (fed) return [floor(`\`${script.origin}\` runs shell code only known at run time (a here-string or heredoc with substitutions), so what it does cannot be checked`)]
        return [opaque(`\`${script.origin}\` runs a script read from its standard input`)]
      }
      case 'file':
        return [ask(`runs the script \`${script.path.source}\` (${script.origin})`)]
    }
  }

  #pipeline(stages: ShellCommand[][], byCommand: Map<ShellCommand, PendingVerdict[]>, cwdOf: Map<ShellCommand, string | null>, depth: number): void {
    stages.forEach((stage, index) => {
      if (index === 0) return
      const before = stages[index - 1] ?? []
      const feeder = before.length === 1 && before[0] ? byCommand.get(before[0])?.[0] : undefined
      const fedNothing = feeder !== undefined && writesNothing(feeder.invocation)
      for (const command of fedNothing ? stage : []) {
        const verdict = byCommand.get(command)?.[0]
        const name = verdict?.invocation.argv[0]
        if (verdict && name?.resolved && commandName(name).base === 'tee') verdict.findings.push(...this.#emptiedByTee(verdict.invocation.argv.slice(1), cwdOf.get(command) ?? null))
      }
      for (const command of stage) {
        for (const verdict of byCommand.get(command) ?? []) {
          const script = verdict.invocation.script
          if (script?.kind !== 'stdin') continue
          const upstream = stages.slice(0, index).flat()
          if (upstream.some(isDownloader)) {
            verdict.findings.push(floor(`pipes a download into \`${script.origin}\``))
            if (!this.verdicts.includes(verdict)) this.verdicts.push(verdict)
            continue
          }
          const fed = literalOutput(stages[index - 1] ?? [])
          const stdinFinding = verdict.findings.findIndex((finding) => finding.reason.endsWith('read from its standard input'))
          if (stdinFinding !== -1) verdict.findings.splice(stdinFinding, 1)
          if (fed !== null && SHELL_NAME.test(script.origin)) this.script(fed, cwdOf.get(command) ?? null, depth + 1, `${script.origin} reading a pipe`)
          else if (fed !== null) verdict.findings.push(...inlineCodeFindings(fed, `${script.origin} reading a pipe`))
          else verdict.findings.push(floor(`\`${script.origin}\` runs what the commands before it print, which is only known at run time (decoded, generated or read from a file)`))
          if (!this.verdicts.includes(verdict)) this.verdicts.push(verdict)
        }
      }
    })
  }

  /** Files the command reads: its arguments and `<` redirects, resolved (for `sort f > f`, which empties `f` first). */
  #pathsRead(invocation: Invocation, cwd: string | null): Set<string> {
    const words = [...invocation.argv.slice(1), ...invocation.command.redirects.filter((redirect) => redirect.kind === 'read').flatMap((redirect) => (redirect.target ? [redirect.target] : []))]
    const paths = new Set<string>()
    for (const word of words) {
      const reference = word.resolved && !word.value.startsWith('-') ? resolvePathWord(word, cwd, this.#environment) : null
      if (reference && reference.pattern === null) paths.add(reference.resolved.path)
    }
    return paths
  }

  /**
   * `emptying`: the command writes nothing (`> f`, `: > f`, `echo -n > f`), so a file with content is
   * emptied; `reads`: files the command reads, which a truncating redirect empties before they are read.
   */
  #redirectFinding(redirect: ShellRedirect, cwd: string | null, emptying: boolean, reads: Set<string>): Finding | null {
    if (redirect.kind === 'read') {
      const target = redirect.target
      return target ? (secretWordFindings([target], cwd, this.#environment)[0] ?? null) : null
    }
    if (redirect.kind !== 'write') return null
    const target = redirect.target
    if (!target) return askAlways(`redirects output (\`${redirect.operator}\`)`)
    const truncates = !redirect.operator.includes('>>')
    const reference = resolvePathWord(target, cwd, this.#environment)
    if (!reference) {
      return truncates ? opaque(`\`${redirect.operator}\` truncates \`${target.source}\`, a file only known at run time`) : askAlways(`writes to \`${target.source}\`, a file only known at run time`)
    }
    const { resolved } = reference
    if (resolved.protectedBecause) return floor(`writes to ${resolved.path}: ${resolved.protectedBecause}`)
    if (resolved.path.startsWith('/dev/')) return null
    if (truncates && reads.has(resolved.path)) return floor(`\`${redirect.operator}\` empties ${resolved.path} before the command reads it, so its content is lost`)
    if (truncates && emptying) {
      const lost = this.#truncationFinding(resolved.path, resolved.scope, `\`${redirect.operator}\` with nothing written`)
      if (lost) return lost
    }
    switch (resolved.scope) {
      case 'inside':
      case 'workspace':
      case 'temp':
        return ask(`writes to ${resolved.path}`)
      default:
        return askAlways(`writes to ${resolved.path}, outside the workspace`)
    }
  }

  /** `tee f < /dev/null`, `echo | tee f`: tee empties the files it is given. */
  #emptiedByTee(args: ShellWord[], cwd: string | null): Finding[] {
    if (args.some((word) => word.value === '-a' || word.value === '--append')) return []
    return parseOptions(args, { permute: true }).positionals.flatMap((word) => {
      const reference = resolvePathWord(word, cwd, this.#environment)
      const lost = reference && reference.pattern === null ? this.#truncationFinding(reference.resolved.path, reference.resolved.scope, '`tee` fed nothing') : null
      return lost ? [lost] : []
    })
  }

  /** Replacing the content of a file that has some loses it for good (`> file`, `tee`, `truncate`, `dd of=`). */
  #truncationFinding(path: string, scope: string, how: string): Finding | null {
    if (scope === 'temp') return null
    const size = this.#environment.sizeOf(path)
    return size !== null && size > 0 ? floor(`${how} replaces the content of ${path} (${size} bytes), which is lost for good`) : null
  }

  #writeTargetFindings(base: string, args: ShellWord[], cwd: string | null): Finding[] {
    if (base === 'rm' && isRecursiveRemove(args)) return []
    const targets = writeTargets(base, args)
    if (base === 'mv') {
      const inWorkspace = (word: ShellWord): boolean => ['inside', 'workspace'].includes(resolvePathWord(word, cwd, this.#environment, false)?.resolved.scope ?? '')
      const moved = targets.filter((target) => target.removes)
      const destination = targets.find((target) => !target.removes)
      if (destination && !inWorkspace(destination.word) && moved.some((target) => inWorkspace(target.word))) {
        return [floor(`\`mv\` moves ${moved.map((target) => target.word.source).join(', ')} out of the workspace`)]
      }
    }
    return targets.flatMap((target) => {
      const reference = resolvePathWord(target.word, cwd, this.#environment, target.followLast)
      if (!reference) return target.truncates ? [opaque(`\`${base}\` replaces \`${target.word.source}\`, a file only known at run time`)] : []
      const { resolved } = reference
      if (resolved.protectedBecause) return [floor(`\`${base}\` ${target.removes ? 'removes' : 'writes to'} ${resolved.path}: ${resolved.protectedBecause}`)]
      // `mv` takes a directory away whole; `rm` needs `-r` for that, which the floor judges on its own.
      if (base === 'mv' && target.removes && reference.pattern === null && ['root', 'home', 'workspace-ancestor', 'workspace'].includes(resolved.scope)) {
        return [floor(`\`mv\` moves away ${resolved.path}, which holds the workspace or the home directory`)]
      }
      if (base === 'mv' && target.removes && resolved.holdsGitDir) return [floor("`mv` moves away the repository's .git directory")]
      if (target.truncates && reference.pattern === null) {
        const lost = this.#truncationFinding(resolved.path, resolved.scope, `\`${base}\``)
        if (lost) return [lost]
      }
      if (target.truncates && reference.pattern !== null && (resolved.scope === 'inside' || resolved.scope === 'workspace')) {
        return [floor(`\`${base}\` replaces the content of every file matching ${target.word.source}`)]
      }
      return []
    })
  }

  /** Credential reads, environment dumps, persistence through scripts git runs, home configuration reads. */
  #sensitiveFindings(base: string, args: ShellWord[], cwd: string | null, depth: number): Finding[] {
    const findings: Finding[] = []
    const dump = environmentDumpFinding(base, args)
    if (dump) findings.push(dump)
    const printer = credentialPrinterFinding(base, args)
    if (printer) findings.push(printer)
    findings.push(...recursiveSecretFindings(base, args, cwd, this.#environment))
    for (const code of codeOptionValues(base, args) ?? []) findings.push(...inlineCodeFindings(code, base))
    if ((base === 'hash' && args.some((word) => word.value.startsWith('-p'))) || (base === 'enable' && args.length > 0)) {
      findings.push(opaque(`\`${base}\` changes which program or builtin a later command name runs`))
    }
    if (isAwk(base)) {
      const program = parseOptions(args, { shortWithValue: 'Fvf', longWithValue: ['--field-separator', '--assign', '--file'] }).positionals[0]
      if (program && awkProgramProblem(program.value)) findings.push(...inlineCodeFindings(program.resolved ? program.value : null, base))
    }
    if (isContentReader(base)) {
      const home = homeConfigReadFinding(args, cwd, this.#environment)
      if (home) findings.push(home)
      // `cat "$F"`: the file is only known at run time, and it may be a key.
      const unknown = args.find((word) => !word.resolved && !word.processSubstitution && !word.source.includes('{}') && !word.value.startsWith('-'))
      if (unknown) findings.push(opaque(`\`${base}\` reads \`${unknown.source}\`, a file only known at run time (it may hold secrets)`))
    }
    if (base === 'git') {
      for (const embedded of gitEmbeddedScripts(args)) findings.push(...this.#embeddedScript({ ...embedded, foreign: false }, cwd, depth))
      findings.push(...this.#gitRepositoryFindings(args, cwd))
    }
    return findings
  }

  /** Git in a repository outside the workspace reads a config the run may have written, which can make it run programs. */
  #gitRepositoryFindings(args: ShellWord[], cwd: string | null): Finding[] {
    const locations: (ShellWord | null)[] = []
    args.forEach((word, index) => {
      if (!word.resolved || !word.value.startsWith('-')) return
      if (['-C', '--git-dir', '--work-tree'].includes(word.value)) locations.push(args[index + 1] ?? null)
      else if (/^--(git-dir|work-tree)=/.test(word.value)) locations.push({ ...word, value: word.value.slice(word.value.indexOf('=') + 1) })
    })
    const where = locations.length > 0 ? locations : [null]
    for (const location of where) {
      const path = location ? (resolvePathWord(location, cwd, this.#environment)?.resolved ?? null) : cwd === null ? null : classifyPath(cwd, this.#environment)
      if (path === null) return [opaque('git runs in a repository only known at run time, whose configuration may run programs')]
      if (path.scope !== 'inside' && path.scope !== 'workspace') return [opaque(`git runs in ${path.path}, outside the workspace, whose configuration may run programs`)]
    }
    return []
  }

  /** The text an invocation hands over: its arguments and what a heredoc or here-string feeds it. */
  #carriedTexts(invocation: Invocation): string[] {
    const fed = invocation.command.redirects.filter((redirect) => redirect.kind === 'heredoc' || redirect.kind === 'herestring').flatMap((redirect) => (redirect.text === null ? [] : [redirect.text]))
    const args = invocation.argv.slice(1)
    // Messages and titles (`git commit -m 'drop the rm -rf step'`) are prose, never run.
    const prose = (word: ShellWord, index: number): boolean => MESSAGE_OPTION.test(word.value) || MESSAGE_OPTION.test(args[index - 1]?.value ?? '')
    return [...args.filter((word, index) => word.resolved && !prose(word, index)).map((word) => word.value), ...fed]
  }

  /** Floor findings for floor commands carried in text: `make -f - <<< 'x:; rm -rf .git'`, `echo 'git reset --hard' > x.sh`. */
  #carriedFloor(texts: string[], cwd: string | null, depth: number, holder: string): Finding[] {
    if (depth >= MAX_NESTING || this.#carried) return []
    for (const text of carriedCommandTexts(texts)) {
      if (this.#budget.carried <= 0) return [opaque(`${holder} is given more text than is checked for commands on the floor`)]
      this.#budget.carried -= 1
      const judge = new CommandJudge(this.#parser, this.#environment, true, this.#budget)
      judge.script(text, cwd, depth + 1, `text given to ${holder}`)
      const reasons = [...judge.findings, ...judge.verdicts.flatMap((verdict) => verdict.findings)].filter((finding) => finding.decision === 'forbid')
      const [first] = reasons
      if (first) return [floor(`${holder} is given text that holds a command on the floor (\`${text.split('\n')[0]?.slice(0, 80) ?? ''}\`): ${first.reason}`)]
    }
    return []
  }

  /** A shell command handed to another program (`git rebase --exec`, `strace sh -c`): judged as a script. */
  #embeddedScript(embedded: EmbeddedScript, cwd: string | null, depth: number): Finding[] {
    if (embedded.foreign) return inlineCodeFindings(embedded.text, embedded.origin)
    if (embedded.text === null) return [floor(`runs shell code only known at run time (${embedded.origin}), so what it does cannot be checked`)]
    this.script(embedded.text, cwd, depth + 1, embedded.origin)
    return [askAlways(`${embedded.origin} runs \`${embedded.text}\` as a shell command`)]
  }
}

/** Options whose value is a message for people, not something a program runs. */
const MESSAGE_OPTION = /^(-m|--message|--title|--body|--description|--subject|--notes|--comment)(=|$)/

/** A redirected list or pipeline whose last command writes nothing (`yes | head -0 > f`). */
const EMPTYING_TAIL = /(^|[|;&]\s*)(:|true|false|echo(\s+-n)?|printf\s+''|cat\s+\/dev\/null|head\s+-[cn]?\s*0)$/

/** The command writes nothing to its output: `: > f`, `true > f`, `echo -n > f`, `cat /dev/null > f`, `exec > f`. */
function writesNothing(invocation: Invocation): boolean {
  const [name, ...args] = invocation.argv
  if (!name) return true
  if (!name.resolved || args.some((word) => !word.resolved)) return false
  const values = args.map((word) => word.value)
  const base = commandName(name).base
  // A wrapper left as the program found nothing to run (`command > f`, `nohup > f`).
  if (isWrapper(base) || base === 'exec') return true
  switch (base) {
    case ':':
    case 'true':
    case 'false':
      return true
    case 'echo':
      return values.every((value) => /^-[neE]+$/.test(value) || value.trim() === '')
    case 'printf':
      return values.length === 0 || values[0] === ''
    case 'cat':
      return values.length > 0 && values.every((value) => value === '/dev/null')
    case 'head':
    case 'tail':
      return values.some((value, index) => /^-[cn]?0$/.test(value) || (/^-[cn]$/.test(value) && values[index + 1] === '0'))
    default:
      return false
  }
}

/** A floor finding when code only known at run time comes from a download. */
function downloadsInto(words: ShellWord[], origin: string): Finding[] | null {
  const downloads = words.some((word) => word.nested.some((command) => isDownloader(command)))
  return downloads ? [floor(`runs downloaded code (${origin})`)] : null
}

/** `$X -rf /`: whatever `$X` turns out to be, arguments like these are only ever used to destroy. */
function unknownProgramFloor(args: ShellWord[], context: FloorContext): Finding[] {
  return UNKNOWN_PROGRAM_CANDIDATES.flatMap((candidate) =>
    floorFindings(candidate, args, context).map((finding) => floor(`the program is only known at run time; as \`${candidate}\` it ${finding.reason.replace(/^`[^`]*` /, '')}`))
  )
}

/** `ssh host rm -rf /`, `chrt 1 rm -rf ~`: a destructive program handed to another one that may run it. */
function embeddedFloor(base: string, args: ShellWord[], context: FloorContext): Finding[] {
  const findings: Finding[] = []
  args.forEach((word, index) => {
    if (!word.resolved || index === args.length - 1) return
    const embedded = commandName(word).base
    if (!FLOOR_PROGRAMS.has(embedded) && !isFilesystemMaker(embedded)) return
    if (PRIVILEGE_COMMANDS.has(embedded)) return
    for (const finding of floorFindings(embedded, args.slice(index + 1), context)) {
      findings.push(floor(`hands \`${embedded}\` to \`${base}\`, which may run it: ${finding.reason}`))
    }
  })
  return findings
}
