// Sees through the commands that run other commands: `env`, `command`, `exec`, `nice`, `timeout`,
// `xargs`, `sudo`, `find -exec`, ... so that `env rm -rf /` is judged as `rm -rf /`. Shells,
// interpreters, `eval` and `source` are reduced to where their script comes from.
import { commandName, INTERPRETERS, PRIVILEGE_COMMANDS, SHELLS } from './command-names'
import type { Finding } from './findings'
import { ask, askAlways, floor } from './findings'
import { hasOption, optionValues, parseOptions, type ParsedOption } from './options'
import type { ShellCommand, ShellWord } from './shell-syntax'
import { UNKNOWN } from './shell-syntax'

export type ScriptSource =
  /** A literal shell script (`bash -c '...'`, `eval ...`, a literal heredoc): classified in turn. */
  | { kind: 'inline'; text: string; origin: string }
  /** Shell script text only known at run time. */
  | { kind: 'dynamic'; words: ShellWord[]; origin: string }
  /** Code in another language given inline (`python -c`, `node -e`). */
  | { kind: 'foreign'; words: ShellWord[]; origin: string }
  /** A script read from standard input (`curl ... | sh`). */
  | { kind: 'stdin'; origin: string }
  /** A script file. */
  | { kind: 'file'; path: ShellWord; origin: string }

export interface Invocation {
  command: ShellCommand
  /** The program that finally runs, followed by its arguments. */
  argv: ShellWord[]
  assignments: { name: string; value: ShellWord }[]
  /** A directory the program runs in (`env -C`), instead of the shell's. */
  chdir: ShellWord | null
  /** `xargs` and `find -exec ... +` append arguments only known at run time. */
  dynamicTail: boolean
  /** How it was reached when not directly: `xargs`, `find -exec`, `sudo`, ... */
  via: string[]
  findings: Finding[]
  script: ScriptSource | null
}

const MAX_WRAPPERS = 16

type Unwrap = (invocation: Invocation, args: ShellWord[]) => Invocation | null

function rest(invocation: Invocation, name: string, argv: ShellWord[], changes: Partial<Invocation> = {}): Invocation | null {
  if (argv.length === 0) return null
  return { ...invocation, ...changes, argv, via: [...invocation.via, name] }
}

function optionWord(option: ParsedOption): ShellWord | null {
  if (option.valueWord) return option.valueWord
  if (option.value === null) return null
  return { source: option.value, value: option.value, literal: true, resolved: true, glob: false, obfuscated: false, nested: [], processSubstitution: false }
}

function dynamicWord(word: ShellWord): ShellWord {
  return { ...word, value: UNKNOWN, literal: false, resolved: false }
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/

const WRAPPERS: Record<string, Unwrap> = {
  env(invocation, args) {
    const parsed = parseOptions(args, { shortWithValue: 'uCS', longWithValue: ['--unset', '--chdir', '--split-string'] })
    const split = optionValues(parsed, '-S', '--split-string')[0]
    if (split) {
      const word = optionWord(split)
      const script: ScriptSource = word?.resolved ? { kind: 'inline', text: word.value, origin: 'env -S' } : { kind: 'dynamic', words: word ? [word] : [], origin: 'env -S' }
      return { ...invocation, argv: invocation.argv.slice(0, 1), script, via: [...invocation.via, 'env'] }
    }
    const chdirOption = optionValues(parsed, '-C', '--chdir')[0]
    const assignments = [...invocation.assignments]
    let index = 0
    for (; index < parsed.positionals.length; index += 1) {
      const word = parsed.positionals[index] as ShellWord
      if (!word.resolved || !ASSIGNMENT.test(word.value)) break
      const equals = word.value.indexOf('=')
      assignments.push({ name: word.value.slice(0, equals), value: { ...word, value: word.value.slice(equals + 1), source: word.source.slice(equals + 1) } })
    }
    const chdir = chdirOption ? optionWord(chdirOption) : invocation.chdir
    return rest(invocation, 'env', parsed.positionals.slice(index), { assignments, chdir })
  },
  command(invocation, args) {
    const parsed = parseOptions(args)
    if (hasOption(parsed, '-v', '-V')) return null
    return rest(invocation, 'command', parsed.positionals)
  },
  builtin: (invocation, args) => rest(invocation, 'builtin', args),
  exec(invocation, args) {
    const parsed = parseOptions(args, { shortWithValue: 'a' })
    const finding = askAlways('`exec` replaces the shell that runs every command of this run')
    return rest(invocation, 'exec', parsed.positionals, { findings: [...invocation.findings, finding] })
  },
  nice: (invocation, args) => rest(invocation, 'nice', parseOptions(args, { shortWithValue: 'n', longWithValue: ['--adjustment'] }).positionals),
  nohup: (invocation, args) =>
    rest(invocation, 'nohup', parseOptions(args).positionals, { findings: [...invocation.findings, ask('`nohup` writes the output to nohup.out')] }),
  time: (invocation, args) => rest(invocation, 'time', parseOptions(args, { shortWithValue: 'of', longWithValue: ['--output', '--format'] }).positionals),
  timeout(invocation, args) {
    const parsed = parseOptions(args, { shortWithValue: 'sk', longWithValue: ['--signal', '--kill-after'] })
    return rest(invocation, 'timeout', parsed.positionals.slice(1))
  },
  stdbuf: (invocation, args) => rest(invocation, 'stdbuf', parseOptions(args, { shortWithValue: 'ioe', longWithValue: ['--input', '--output', '--error'] }).positionals),
  setsid: (invocation, args) => rest(invocation, 'setsid', parseOptions(args).positionals),
  ionice(invocation, args) {
    const parsed = parseOptions(args, { shortWithValue: 'cnp', longWithValue: ['--class', '--classdata', '--pid'] })
    return hasOption(parsed, '-p', '--pid') ? null : rest(invocation, 'ionice', parsed.positionals)
  },
  coproc: (invocation, args) => rest(invocation, 'coproc', args),
  busybox: (invocation, args) => rest(invocation, 'busybox', parseOptions(args).positionals),
  toybox: (invocation, args) => rest(invocation, 'toybox', parseOptions(args).positionals),
  watch(invocation, args) {
    const parsed = parseOptions(args, { shortWithValue: 'n', longWithValue: ['--interval'] })
    if (hasOption(parsed, '-x', '--exec') || parsed.positionals.length > 1) return rest(invocation, 'watch', parsed.positionals)
    const only = parsed.positionals[0]
    if (!only) return null
    const script: ScriptSource = only.resolved ? { kind: 'inline', text: only.value, origin: 'watch' } : { kind: 'dynamic', words: [only], origin: 'watch' }
    return { ...invocation, argv: invocation.argv.slice(0, 1), script, via: [...invocation.via, 'watch'] }
  },
  parallel(invocation, args) {
    const parsed = parseOptions(args, { shortWithValue: 'jaSIdE', longWithValue: ['--jobs', '--arg-file', '--sshlogin', '--delimiter', '--colsep'] })
    const end = parsed.positionals.findIndex((word) => word.value.startsWith(':::'))
    const argv = (end === -1 ? parsed.positionals : parsed.positionals.slice(0, end)).map((word) => (word.value.includes('{') ? dynamicWord(word) : word))
    return rest(invocation, 'parallel', argv, { dynamicTail: true })
  },
  fd(invocation, args) {
    const at = args.findIndex((word) => word.resolved && ['-x', '-X', '--exec', '--exec-batch'].includes(word.value))
    if (at === -1) return null
    const argv = args.slice(at + 1).map((word) => (word.value.includes('{') ? dynamicWord(word) : word))
    return rest(invocation, 'fd', argv, { dynamicTail: true })
  },
  npx: packageRunner('npx'),
  npm: (invocation, args) => (['exec', 'x'].includes(args[0]?.value ?? '') ? packageRunner('npm exec')(invocation, args.slice(1)) : null),
  pnpm: (invocation, args) => (['dlx', 'exec'].includes(args[0]?.value ?? '') ? packageRunner('pnpm dlx')(invocation, args.slice(1)) : null),
  yarn: (invocation, args) => (['dlx', 'exec'].includes(args[0]?.value ?? '') ? packageRunner('yarn dlx')(invocation, args.slice(1)) : null),
  bunx: packageRunner('bunx'),
  pnpx: packageRunner('pnpx'),
  xargs(invocation, args) {
    const parsed = parseOptions(args, {
      shortWithValue: 'ILnPsdEa',
      longWithValue: ['--arg-file', '--delimiter', '--max-args', '--max-procs', '--max-lines', '--max-chars', '--replace', '--eof']
    })
    const replace = optionValues(parsed, '-I', '--replace')[0]?.value ?? (hasOption(parsed, '-i') ? '{}' : null)
    const argv = replace === null ? parsed.positionals : parsed.positionals.map((word) => (word.value.includes(replace) ? dynamicWord(word) : word))
    return rest(invocation, 'xargs', argv, { dynamicTail: true })
  },
  sudo(invocation, args) {
    const parsed = parseOptions(args, {
      shortWithValue: 'ugCDhprtTU',
      longWithValue: ['--user', '--group', '--close-from', '--chdir', '--host', '--prompt', '--role', '--type', '--command-timeout', '--other-user']
    })
    return privileged(invocation, 'sudo', hasOption(parsed, '-e', '--edit') ? [] : parsed.positionals)
  },
  doas: (invocation, args) => privileged(invocation, 'doas', parseOptions(args, { shortWithValue: 'uC' }).positionals),
  pkexec: (invocation, args) => privileged(invocation, 'pkexec', parseOptions(args, { longWithValue: ['--user'] }).positionals),
  run0: (invocation, args) =>
    privileged(
      invocation,
      'run0',
      parseOptions(args, { shortWithValue: 'uDg', longWithValue: ['--user', '--group', '--chdir', '--unit', '--property', '--description', '--slice', '--nice', '--setenv', '--machine'] })
        .positionals
    ),
  su(invocation, args) {
    const parsed = parseOptions(args, {
      shortWithValue: 'cgGsw',
      longWithValue: ['--command', '--session-command', '--group', '--supp-group', '--shell', '--whitelist-environment'],
      permute: true
    })
    const withSu = { ...invocation, findings: [...invocation.findings, floor('runs as another user (`su`)')], via: [...invocation.via, 'su'] }
    const command = optionValues(parsed, '-c', '--command', '--session-command')[0]
    if (!command) return { ...withSu, argv: invocation.argv.slice(0, 1) }
    const word = optionWord(command)
    const script: ScriptSource = word?.resolved ? { kind: 'inline', text: word.value, origin: 'su -c' } : { kind: 'dynamic', words: word ? [word] : [], origin: 'su -c' }
    return { ...withSu, argv: invocation.argv.slice(0, 1), script }
  }
}

/** `npx pkg args` runs the package's program with the args; `npx -c 'cmd'` runs a shell command. */
function packageRunner(name: string): Unwrap {
  return (invocation, args) => {
    const parsed = parseOptions(args, { shortWithValue: 'pc', longWithValue: ['--package', '--call', '--registry', '--cache'] })
    const call = optionValues(parsed, '-c', '--call')[0]
    if (call) {
      const word = optionWord(call)
      const script: ScriptSource = word?.resolved ? { kind: 'inline', text: word.value, origin: `${name} -c` } : { kind: 'dynamic', words: word ? [word] : [], origin: `${name} -c` }
      return { ...invocation, argv: invocation.argv.slice(0, 1), script, via: [...invocation.via, name] }
    }
    return rest(invocation, name, parsed.positionals)
  }
}

function privileged(invocation: Invocation, name: string, argv: ShellWord[]): Invocation {
  const finding = floor(`runs as another user (\`${name}\`)`)
  const findings = [...invocation.findings, finding]
  if (argv.length === 0) return { ...invocation, argv: invocation.argv.slice(0, 1), findings, via: [...invocation.via, name] }
  return { ...invocation, argv, findings, via: [...invocation.via, name] }
}

/** Per interpreter: short options that take a value, and the ones whose value is code. */
const DEFAULT_INTERPRETER_OPTIONS = { shortWithValue: 'cerEmW', codeOptions: ['-c', '-e', '-E', '-r', '--eval', '--print', '--command'] }
const NODE_OPTIONS = { shortWithValue: 'epr', codeOptions: ['-e', '-p', '--eval', '--print'] }
const INTERPRETER_OPTIONS: Record<string, { shortWithValue: string; codeOptions: string[] }> = {
  node: NODE_OPTIONS,
  nodejs: NODE_OPTIONS,
  bun: NODE_OPTIONS,
  perl: { shortWithValue: 'eEMImx', codeOptions: ['-e', '-E'] },
  ruby: { shortWithValue: 'eIrCE', codeOptions: ['-e'] },
  php: { shortWithValue: 'rdcfBREFz', codeOptions: ['-r', '-B', '-R', '-E', '-F'] },
  lua: { shortWithValue: 'el', codeOptions: ['-e'] },
  python: { shortWithValue: 'cmWX', codeOptions: ['-c'] },
  python3: { shortWithValue: 'cmWX', codeOptions: ['-c'] },
  osascript: { shortWithValue: 'el', codeOptions: ['-e'] },
  pwsh: { shortWithValue: 'cC', codeOptions: ['-c', '-C', '--command'] }
}

/** Interpreter options with which it runs what it finds itself, or nothing, instead of reading standard input. */
const SELF_DIRECTED_OPTIONS = ['--test', '--version', '-v', '-V', '--help', '-h']

/** Where a shell, an interpreter, `eval` or `source` takes its script from. */
function scriptSource(base: string, args: ShellWord[]): ScriptSource | null {
  if (SHELLS.has(base)) {
    const parsed = parseOptions(
      args.filter((word) => !(word.resolved && /^\+[oO]$/.test(word.value))),
      { shortWithValue: 'oO', longWithValue: ['--rcfile', '--init-file'] }
    )
    const script = parsed.positionals[0]
    if (hasOption(parsed, '-c') || parsed.options.some((option) => /^-[a-zA-Z]*c/.test(option.name))) {
      if (!script) return { kind: 'dynamic', words: [], origin: `${base} -c` }
      return script.resolved ? { kind: 'inline', text: script.value, origin: `${base} -c` } : { kind: 'dynamic', words: [script], origin: `${base} -c` }
    }
    if (!script && hasOption(parsed, '--version', '--help')) return null
    if (!script || hasOption(parsed, '-s') || (script.resolved && script.value === '-')) return { kind: 'stdin', origin: base }
    if (script.processSubstitution) return { kind: 'dynamic', words: [script], origin: base }
    return { kind: 'file', path: script, origin: base }
  }
  if ((base === 'deno' || base === 'bun') && args[0]?.resolved && args[0].value === 'eval') {
    return { kind: 'foreign', words: args.slice(1, 2), origin: `${base} eval` }
  }
  if (INTERPRETERS.has(base) || /^python\d(\.\d+)?$/.test(base)) {
    const spec = Object.hasOwn(INTERPRETER_OPTIONS, base) ? INTERPRETER_OPTIONS[base] : undefined
    const { shortWithValue, codeOptions } = spec ?? DEFAULT_INTERPRETER_OPTIONS
    const parsed = parseOptions(args, { shortWithValue, longWithValue: ['--eval', '--print', '--command', '--require', '--import', '--loader'] })
    const code = parsed.options.find((option) => codeOptions.includes(option.name))
    if (code) {
      const word = optionWord(code)
      return { kind: 'foreign', words: word ? [word] : [], origin: `${base} ${code.name}` }
    }
    if (hasOption(parsed, '-m')) return null
    const script = parsed.positionals[0]
    // `node --test` finds its test files itself, `--version` runs nothing: no script comes from stdin.
    if (!script && hasOption(parsed, ...SELF_DIRECTED_OPTIONS)) return null
    if (!script || (script.resolved && script.value === '-')) return { kind: 'stdin', origin: base }
    if (script.processSubstitution) return { kind: 'foreign', words: [script], origin: base }
    return { kind: 'file', path: script, origin: base }
  }
  if (base === 'eval') {
    if (args.length === 0) return null
    if (args.every((word) => word.resolved)) return { kind: 'inline', text: args.map((word) => word.value).join(' '), origin: 'eval' }
    return { kind: 'dynamic', words: args, origin: 'eval' }
  }
  if (base === 'source' || base === '.') {
    const file = args[0]
    if (!file) return null
    if (file.processSubstitution || !file.resolved) return { kind: 'dynamic', words: [file], origin: base }
    return { kind: 'file', path: file, origin: base }
  }
  return null
}

const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir'])

/** Splits `find ... -exec cmd {} ;` into find itself and the commands it runs. */
function splitFindExec(invocation: Invocation): Invocation[] {
  const own: ShellWord[] = []
  const inner: Invocation[] = []
  const argv = invocation.argv
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index] as ShellWord
    if (!(word.resolved && FIND_EXEC.has(word.value))) {
      own.push(word)
      continue
    }
    const start = index + 1
    let end = start
    while (end < argv.length && !((argv[end] as ShellWord).resolved && [';', '+'].includes((argv[end] as ShellWord).value))) end += 1
    const terminator = argv[end]?.value ?? null
    const innerArgv = argv.slice(start, end).map((part) => (part.value.includes('{}') ? dynamicWord(part) : part))
    if (innerArgv.length > 0) {
      inner.push({
        ...invocation,
        argv: innerArgv,
        assignments: [],
        dynamicTail: terminator === '+',
        via: [...invocation.via, `find ${word.value}`],
        findings: [],
        script: null
      })
    }
    index = end
  }
  return [{ ...invocation, argv: own }, ...inner]
}

/** Programs whose `-c CMD` / `--command CMD` option is a shell command. */
const COMMAND_OPTION_PROGRAMS = new Set(['script', 'flock', 'runuser', 'sg', 'unbuffer', 'nix-shell', 'distrobox-enter', 'toolbox'])

export interface EmbeddedScript {
  /** The script, or null when it is only known at run time. */
  text: string | null
  origin: string
  /** Code in another language (`strace python3 -c ...`), not shell. */
  foreign: boolean
}

/**
 * Scripts handed to a program the classifier does not unwrap: `strace -f sh -c CMD`,
 * `flock f -c CMD`, `script -c CMD`, `ltrace python3 -c CODE`.
 */
export function embeddedScripts(base: string, args: ShellWord[]): EmbeddedScript[] {
  const scripts: EmbeddedScript[] = []
  args.forEach((word, index) => {
    const next = args[index + 1]
    const after = args[index + 2]
    if (!word.resolved) return
    const name = commandName(word).base
    const codeFlag = next?.resolved && /^-[a-zA-Z]*[ceEr][a-zA-Z]*$|^--(eval|print|command)$/.test(next.value)
    if (codeFlag && after && (SHELLS.has(name) || INTERPRETERS.has(name) || /^python\d/.test(name))) {
      scripts.push({ text: after.resolved ? after.value : null, origin: `${name} ${next?.value ?? ''}`, foreign: !SHELLS.has(name) })
    } else if (COMMAND_OPTION_PROGRAMS.has(base) && (/^-[a-zA-Z]*c$/.test(word.value) || word.value === '--command') && next) {
      scripts.push({ text: next.resolved ? next.value : null, origin: `${base} ${word.value}`, foreign: false })
    } else if (COMMAND_OPTION_PROGRAMS.has(base) && word.value.startsWith('--command=')) {
      scripts.push({ text: word.value.slice(10), origin: `${base} --command`, foreign: false })
    }
  })
  return scripts
}

/** Programs that run the command in their arguments (`env`, `xargs`, `sudo`, ...): judged through, not as themselves. */
export function isWrapper(base: string): boolean {
  return Object.hasOwn(WRAPPERS, base)
}

/** The programs a simple command finally runs: usually one, more for `find -exec`. */
export function invocationsOf(command: ShellCommand): Invocation[] {
  const start: Invocation = {
    command,
    argv: command.words,
    assignments: command.assignments,
    chdir: null,
    dynamicTail: false,
    via: [],
    findings: [],
    script: null
  }
  return unwrap(start, 0)
}

function unwrap(initial: Invocation, depth: number): Invocation[] {
  let invocation = initial
  for (let step = 0; step < MAX_WRAPPERS; step += 1) {
    const name = invocation.argv[0]
    if (!name?.resolved) break
    const base = commandName(name).base
    const handler = Object.hasOwn(WRAPPERS, base) ? WRAPPERS[base] : undefined
    if (!handler) break
    const next = handler(invocation, invocation.argv.slice(1))
    if (!next) break
    invocation = next
    if (next.script) return [next]
    if (PRIVILEGE_COMMANDS.has(base) && next.argv.length === 1 && next.argv[0] === name) return [next]
  }
  const name = invocation.argv[0]
  if (!name?.resolved) return [invocation]
  const base = commandName(name).base
  const script = scriptSource(base, invocation.argv.slice(1))
  if (script) return [{ ...invocation, script }]
  if (base === 'find' && depth < MAX_WRAPPERS) {
    const [own, ...inner] = splitFindExec(invocation)
    return [own as Invocation, ...inner.flatMap((part) => unwrap(part, depth + 1))]
  }
  return [invocation]
}
