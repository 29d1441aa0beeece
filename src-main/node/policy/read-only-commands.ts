// The read-only allowlist: programs that only read, with the flags that would make them write or
// run other programs. A command auto-runs only when this says it is read-only.
import { hasOption, parseOptions, type ParsedArguments } from './options'
import { awkProgramProblem } from './inline-code'
import { sedScriptProblem } from './sed-script'
import type { ShellWord } from './shell-syntax'

/** Null when read-only; otherwise why not. */
type ReadOnlyCheck = (args: ShellWord[], parsed: ParsedArguments) => string | null

const ANY: ReadOnlyCheck = () => null

function without(...flags: string[]): ReadOnlyCheck {
  return (_args, parsed) => {
    const found = parsed.options.find((option) => flags.includes(option.name))
    return found ? `\`${found.name}\` can write files or run programs` : null
  }
}

function atMostPositionals(count: number, what: string): ReadOnlyCheck {
  return (_args, parsed) => (parsed.positionals.length > count ? what : null)
}

const RIPGREP_FORBIDDEN = ['--pre', '--hostname-bin', '-z', '--search-zip']
const FIND_WRITERS = new Set(['-delete', '-fls', '-fprint', '-fprint0', '-fprintf'])

const SED_HARMLESS_OPTIONS = new Set(['-n', '--quiet', '--silent', '-E', '-r', '--regexp-extended', '-s', '--separate', '-z', '--null-data', '-u', '--unbuffered', '--posix', '--debug', '-e', '--expression', '-l', '--line-length'])

function sedCheck(_args: ShellWord[], parsed: ParsedArguments): string | null {
  const other = parsed.options.find((option) => !SED_HARMLESS_OPTIONS.has(option.name))
  if (other) return `\`sed ${other.name}\` is not known to be read-only`
  const expressions = parsed.options.filter((option) => option.name === '-e' || option.name === '--expression')
  const scripts = expressions.length > 0 ? expressions.map((option) => option.value ?? '') : parsed.positionals.slice(0, 1).map((word) => word.value)
  if (scripts.length === 0) return 'sed without a script'
  for (const script of scripts) {
    const problem = sedScriptProblem(script)
    if (problem) return problem
  }
  return null
}

function awkCheck(_args: ShellWord[], parsed: ParsedArguments): string | null {
  const other = parsed.options.find((option) => !['-F', '-v', '--field-separator', '--assign'].includes(option.name))
  if (other) return `\`awk ${other.name}\` is not known to be read-only`
  const program = parsed.positionals[0]
  if (!program) return 'awk without a program'
  const problem = awkProgramProblem(program.value)
  return problem ? `the awk program ${problem}` : null
}

/** Package tools whose listed subcommands only report: they run no package code. */
function subcommandIn(program: string, subcommands: string[]): ReadOnlyCheck {
  return (args) => {
    const subcommand = args.find((word) => !word.value.startsWith('-'))
    if (subcommand?.resolved && subcommands.includes(subcommand.value)) return null
    return `only \`${program} ${subcommands.slice(0, 3).join('|')}|…\` are read-only`
  }
}

function findCheck(args: ShellWord[]): string | null {
  const writer = args.find((word) => word.resolved && FIND_WRITERS.has(word.value))
  return writer ? `\`find ${writer.value}\` changes files` : null
}

function dateCheck(_args: ShellWord[], parsed: ParsedArguments): string | null {
  if (hasOption(parsed, '-s', '--set')) return '`date --set` changes the clock'
  return parsed.positionals.some((word) => !word.value.startsWith('+')) ? '`date` with a time argument sets the clock' : null
}

// Git: read-only subcommands, and the options that can run configured programs or write.
const GIT_GLOBAL_WITH_VALUE = new Set(['-C', '--git-dir', '--work-tree', '--namespace', '--super-prefix'])
const GIT_GLOBAL_FLAGS = new Set(['--no-pager', '-P', '--bare', '--no-replace-objects', '--literal-pathspecs', '--glob-pathspecs', '--noglob-pathspecs', '--icase-pathspecs', '--no-optional-locks'])
const GIT_FORBIDDEN_ANYWHERE = ['--output', '--ext-diff', '--textconv', '--exec', '--paginate', '--open-files-in-pager', '-O', '--upload-pack', '--receive-pack']
const GIT_LISTING_VALUES = new Set(['--contains', '--no-contains', '--merged', '--no-merged', '--points-at', '--sort', '--format'])

export interface GitCall {
  subcommand: ShellWord | null
  args: ShellWord[]
  /** Values of `-c name=value`, as written. */
  configs: string[]
  /** Global options that are not known to be harmless (`-c`, `--exec-path`, `-p`, ...). */
  unsafeGlobal: string | null
}

export function splitGitCall(args: ShellWord[]): GitCall {
  let index = 0
  let unsafeGlobal: string | null = null
  const configs: string[] = []
  while (index < args.length) {
    const word = args[index] as ShellWord
    if (!word.resolved || !word.value.startsWith('-')) break
    if (word.value === '-c') configs.push(args[index + 1]?.value ?? '')
    else if (word.value.startsWith('-c')) configs.push(word.value.slice(2))
    const name = word.value.startsWith('-c') ? '-c' : (word.value.split('=')[0] as string)
    const takesValue = GIT_GLOBAL_WITH_VALUE.has(name) || (name === '-c' && word.value === '-c') || name === '--config-env'
    if (!GIT_GLOBAL_WITH_VALUE.has(name) && !GIT_GLOBAL_FLAGS.has(name)) unsafeGlobal ??= name
    index += takesValue && !word.value.includes('=') ? 2 : 1
  }
  return { subcommand: args[index] ?? null, args: args.slice(index + 1), configs, unsafeGlobal }
}

function listingOnly(args: ShellWord[], forbidden: string[], listFlags: string[]): string | null {
  const parsed = parseOptions(args, { permute: true, longWithValue: [...GIT_LISTING_VALUES] })
  const bad = parsed.options.find((option) => forbidden.includes(option.name))
  if (bad) return `\`${bad.name}\` changes the repository`
  if (parsed.positionals.length > 0 && !parsed.options.some((option) => listFlags.includes(option.name))) return 'with a name argument it creates or changes a ref'
  return null
}

const GIT_READ_ONLY: Record<string, (args: ShellWord[]) => string | null> = {
  status: () => null,
  log: () => null,
  show: () => null,
  diff: () => null,
  shortlog: () => null,
  whatchanged: () => null,
  'rev-parse': () => null,
  'rev-list': () => null,
  'ls-files': () => null,
  'ls-tree': () => null,
  'cat-file': () => null,
  'merge-base': () => null,
  cherry: () => null,
  'show-ref': () => null,
  describe: () => null,
  blame: () => null,
  annotate: () => null,
  'count-objects': () => null,
  'name-rev': () => null,
  'for-each-ref': () => null,
  'diff-tree': () => null,
  'diff-files': () => null,
  'diff-index': () => null,
  grep: () => null,
  'check-ignore': () => null,
  'check-attr': () => null,
  version: () => null,
  branch: (args) =>
    listingOnly(
      args,
      ['-d', '-D', '-m', '-M', '-c', '-C', '-f', '-u', '--delete', '--move', '--copy', '--force', '--set-upstream-to', '--unset-upstream', '--edit-description', '--track', '--no-track'],
      ['-l', '--list', '--show-current']
    ),
  tag: (args) => listingOnly(args, ['-d', '-a', '-s', '-u', '-f', '-m', '-F', '--delete', '--annotate', '--sign', '--force', '--edit'], ['-l', '--list', '-n']),
  remote: (args) => (args.length === 0 || args.every((word) => ['-v', '--verbose'].includes(word.value)) ? null : 'only `git remote -v` is read-only'),
  reflog: (args) => (args.length === 0 || args[0]?.value === 'show' ? null : 'only `git reflog show` is read-only'),
  stash: (args) => (['list', 'show'].includes(args[0]?.value ?? '') ? null : 'only `git stash list|show` is read-only'),
  worktree: (args) => (args[0]?.value === 'list' ? null : 'only `git worktree list` is read-only'),
  config: (args) => {
    const parsed = parseOptions(args, { permute: true })
    const singleKey = parsed.options.length === 0 && parsed.positionals.length === 1
    const reads = singleKey || hasOption(parsed, '--get', '--get-all', '--get-regexp', '--list', '-l', '--get-urlmatch')
    const writes = hasOption(parsed, '--add', '--unset', '--unset-all', '--replace-all', '--edit', '-e', '--rename-section', '--remove-section')
    return reads && !writes ? null : 'only `git config --get/--list` is read-only'
  }
}

function gitCheck(args: ShellWord[]): string | null {
  if (args.length === 1 && args[0]?.value === '--version') return null
  const call = splitGitCall(args)
  if (call.unsafeGlobal) return `\`git ${call.unsafeGlobal}\` can make git run configured programs`
  const subcommand = call.subcommand
  if (!subcommand?.resolved) return 'the git subcommand is only known at run time'
  const check = Object.hasOwn(GIT_READ_ONLY, subcommand.value) ? GIT_READ_ONLY[subcommand.value] : undefined
  if (!check) return `\`git ${subcommand.value}\` is not a read-only git command`
  // `git grep -O<pager>` takes its value attached, so there any short cluster with an O counts.
  const opensPager = (word: ShellWord): boolean => subcommand.value === 'grep' && /^-[^-]*O/.test(word.value)
  const forbidden = call.args.find((word) => GIT_FORBIDDEN_ANYWHERE.includes(word.value.split('=')[0] as string) || opensPager(word))
  if (forbidden) return `\`${forbidden.value}\` can make git write files or run programs`
  return check(call.args)
}

interface ReadOnlyEntry {
  check: ReadOnlyCheck
  /** Flags change what it does (it can write or run programs with some): arguments only known at run time ask. */
  flagsMatter?: boolean
  shortWithValue?: string
  longWithValue?: string[]
}

const READ_ONLY: Record<string, ReadOnlyEntry> = {
  cat: { check: ANY },
  pgrep: { check: without('--signal') },
  cut: { check: ANY },
  echo: { check: ANY },
  expr: { check: ANY },
  false: { check: ANY },
  true: { check: ANY },
  ':': { check: ANY },
  grep: { check: ANY },
  egrep: { check: ANY },
  fgrep: { check: ANY },
  head: { check: ANY },
  tail: { check: ANY },
  id: { check: ANY },
  groups: { check: ANY },
  whoami: { check: ANY },
  ls: { check: ANY },
  nl: { check: ANY },
  paste: { check: ANY },
  pwd: { check: ANY },
  rev: { check: ANY },
  seq: { check: ANY },
  stat: { check: ANY },
  tr: { check: ANY },
  uname: { check: ANY },
  arch: { check: ANY },
  wc: { check: ANY },
  which: { check: ANY },
  type: { check: ANY },
  numfmt: { check: ANY },
  tac: { check: ANY },
  basename: { check: ANY },
  dirname: { check: ANY },
  realpath: { check: ANY },
  readlink: { check: ANY },
  du: { check: ANY },
  df: { check: ANY },
  printenv: { check: ANY },
  env: { check: ANY },
  diff: { check: ANY },
  cmp: { check: ANY },
  comm: { check: ANY },
  md5sum: { check: ANY },
  sha1sum: { check: ANY },
  sha256sum: { check: ANY },
  sha512sum: { check: ANY },
  b2sum: { check: ANY },
  cksum: { check: ANY },
  shasum: { check: ANY },
  test: { check: ANY },
  '[': { check: ANY },
  column: { check: ANY },
  fold: { check: ANY },
  od: { check: ANY },
  strings: { check: ANY },
  hexdump: { check: ANY },
  nproc: { check: ANY },
  uptime: { check: ANY },
  ps: { check: ANY },
  sleep: { check: ANY },
  locale: { check: ANY },
  jq: { check: ANY },
  command: { check: (_args, parsed) => (hasOption(parsed, '-v', '-V') ? null : 'only `command -v` is read-only') },
  file: { check: without('-C', '--compile'), flagsMatter: true },
  uniq: { check: atMostPositionals(1, '`uniq` with two file arguments writes the second'), flagsMatter: true },
  printf: { check: (args) => (args[0]?.resolved === false ? 'the `printf` format is only known at run time' : args.some((word) => word.value === '-v') ? '`-v` sets a variable' : null) },
  base64: { check: without('-o', '--output'), flagsMatter: true, shortWithValue: 'o', longWithValue: ['--output'] },
  sort: { check: without('-o', '--output', '--compress-program'), flagsMatter: true, shortWithValue: 'ot', longWithValue: ['--output'] },
  tree: { check: without('-o', '--output'), flagsMatter: true, shortWithValue: 'o' },
  date: { check: dateCheck, flagsMatter: true, shortWithValue: 'sfdr', longWithValue: ['--set', '--file', '--date', '--reference'] },
  hostname: { check: (_args, parsed) => (parsed.positionals.length > 0 || hasOption(parsed, '-F', '--file', '-b', '--boot') ? '`hostname NAME` changes the host name' : null), flagsMatter: true },
  rg: { check: without(...RIPGREP_FORBIDDEN), flagsMatter: true, shortWithValue: 'egtTAaBCmMjE', longWithValue: ['--regexp', '--glob', '--type', '--max-count'] },
  fd: { check: without('-x', '--exec', '-X', '--exec-batch'), flagsMatter: true },
  find: { check: findCheck, flagsMatter: true },
  sed: { check: sedCheck, flagsMatter: true, shortWithValue: 'el', longWithValue: ['--expression', '--line-length'] },
  awk: { check: awkCheck, flagsMatter: true, shortWithValue: 'Fv', longWithValue: ['--field-separator', '--assign'] },
  gawk: { check: awkCheck, flagsMatter: true, shortWithValue: 'Fv', longWithValue: ['--field-separator', '--assign'] },
  mawk: { check: awkCheck, flagsMatter: true, shortWithValue: 'Fv' },
  xxd: { check: atMostPositionals(1, '`xxd` with two file arguments writes the second'), flagsMatter: true },
  join: { check: ANY },
  go: { check: subcommandIn('go', ['version', 'env', 'list', 'doc']) },
  read: { check: ANY },
  expand: { check: ANY },
  unexpand: { check: ANY },
  fmt: { check: ANY },
  tsort: { check: ANY },
  whereis: { check: ANY },
  getconf: { check: ANY },
  lscpu: { check: ANY },
  free: { check: ANY },
  cal: { check: ANY },
  git: { check: gitCheck, flagsMatter: true }
}

export function hasReadOnlyEntry(base: string): boolean {
  return Object.hasOwn(READ_ONLY, base)
}

/** Read-only programs that print the content of the files they are given (not only names or sizes). */
const CONTENT_READERS = new Set([
  'cat', 'head', 'tail', 'nl', 'tac', 'rev', 'od', 'strings', 'hexdump', 'xxd', 'base64', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum',
  'b2sum', 'cksum', 'shasum', 'diff', 'cmp', 'comm', 'cut', 'paste', 'sort', 'uniq', 'grep', 'egrep', 'fgrep', 'rg', 'jq', 'sed', 'awk',
  'gawk', 'mawk', 'column', 'fold', 'join', 'expand', 'unexpand', 'fmt', 'less', 'more', 'bat'
])

export function isContentReader(base: string): boolean {
  return CONTENT_READERS.has(base)
}

/** Toolchains whose version query reads nothing from the repository, with the arguments that ask only for it. */
const VERSION_QUERIES: Record<string, string[]> = {
  node: ['--version', '-v'],
  nodejs: ['--version', '-v'],
  npm: ['--version', '-v'],
  python: ['--version', '-V'],
  python3: ['--version', '-V'],
  pip: ['--version', '-V'],
  pip3: ['--version', '-V'],
  git: ['--version', 'version'],
  gcc: ['--version'],
  'g++': ['--version'],
  cc: ['--version'],
  clang: ['--version'],
  make: ['--version'],
  cmake: ['--version'],
  docker: ['--version'],
  bash: ['--version'],
  zsh: ['--version'],
  rg: ['--version'],
  jq: ['--version'],
  curl: ['--version'],
  wget: ['--version'],
  ruby: ['--version'],
  perl: ['--version', '-v'],
  deno: ['--version'],
  bun: ['--version'],
  tsc: ['--version', '-v'],
  uv: ['--version'],
  ssh: ['-V'],
  tmux: ['-V'],
  openssl: ['version'],
  sqlite3: ['--version'],
  psql: ['--version'],
  vim: ['--version'],
  nvim: ['--version'],
  gh: ['--version'],
  sed: ['--version'],
  awk: ['--version'],
  grep: ['--version'],
  ls: ['--version'],
  tar: ['--version'],
  rsync: ['--version'],
  xz: ['--version'],
  gzip: ['--version'],
  zip: ['--version']
}

/** `node --version`, `git --version`: asks the toolchain its version and nothing else. */
export function isVersionQuery(base: string, args: ShellWord[]): boolean {
  const accepted = Object.hasOwn(VERSION_QUERIES, base) ? VERSION_QUERIES[base] : undefined
  const [only] = args
  return accepted !== undefined && args.length === 1 && only !== undefined && only.literal && accepted.includes(only.value)
}

/** Null when `base` with these arguments is known to be read-only; otherwise the reason it is not. */
export function readOnlyProblem(base: string, args: ShellWord[], dynamicTail: boolean): string | null {
  if (isVersionQuery(base, args)) return null
  const entry = Object.hasOwn(READ_ONLY, base) ? READ_ONLY[base] : undefined
  if (!entry) return `\`${base}\` is not on the read-only list`
  if (entry.flagsMatter && (dynamicTail || args.some((word) => !word.resolved))) {
    return `\`${base}\` gets arguments only known at run time, and some of its options write files or run programs`
  }
  const parsed = parseOptions(args, { permute: true, shortWithValue: entry.shortWithValue, longWithValue: entry.longWithValue })
  return entry.check(args, parsed)
}
