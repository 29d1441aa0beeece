// The destructive floor: commands that never run unasked, whatever the mode or the saved rules.
// Recursive deletes of /, home, the workspace or anything outside it; discarding git history or
// work; privilege changes; formatting disks; writes to devices and to protected paths.
import { posix } from 'node:path'
import { isFilesystemMaker, PRIVILEGE_COMMANDS } from './command-names'
import type { Finding } from './findings'
import { floor } from './findings'
import { hasOption, parseOptions } from './options'
import type { PathEnvironment, PathReference } from './path-scope'
import { resolvePathWord } from './path-scope'
import { gitFloor } from './git-floor'
import { PERSISTENCE_PROGRAMS, persistenceFloor } from './persistence-floor'
import type { ShellWord } from './shell-syntax'
import { UNKNOWN } from './shell-syntax'
import { expandBraces, globRegExp, hasBraceExpansion, hasUnquotedGlob } from './shell-words'

export interface FloorContext {
  environment: PathEnvironment
  /** The directory relative paths start from; null when a `cd` made it unknown. */
  cwd: string | null
  /** Arguments only known at run time are appended (`xargs`, `find -exec ... +`). */
  dynamicTail: boolean
}

/** An invalid pattern matches everything: the floor decides as if it might. */
function globToRegExp(pattern: string): RegExp {
  return globRegExp(pattern) ?? /^/
}

function describe(reference: PathReference): string {
  return reference.pattern === null ? reference.resolved.path : posix.join(reference.resolved.path, reference.pattern)
}

/** Why deleting `word` recursively is on the floor, or null when it stays inside the workspace. */
export function recursiveDeleteProblem(word: ShellWord, context: FloorContext, verb = 'deletes'): Finding | null {
  if (!word.glob || !hasBraceExpansion(word.value)) return singleDeleteProblem(word, context, verb)
  const alternatives = expandBraces(word.value)
  if (alternatives === null) return floor(`${verb} recursively \`${word.source}\`, which expands to too many paths to check`)
  for (const value of alternatives) {
    const problem = singleDeleteProblem({ ...word, value, glob: hasUnquotedGlob(value) }, context, verb)
    if (problem) return problem
  }
  return null
}

function singleDeleteProblem(word: ShellWord, context: FloorContext, verb: string): Finding | null {
  const reference = resolvePathWord(word, context.cwd, context.environment, false)
  if (reference === null) return floor(`${verb} recursively \`${word.source}\`, a path only known at run time`)
  const { resolved, pattern } = reference
  const where = describe(reference)
  switch (resolved.scope) {
    case 'root':
      return floor(pattern === null ? `${verb} the root directory recursively` : `${verb} recursively everything matching ${where}`)
    case 'home':
      return floor(pattern === null ? `${verb} the home directory recursively` : `${verb} recursively in the home directory (${where})`)
    case 'workspace-ancestor':
      return floor(`${verb} recursively ${where}, which contains the workspace`)
    case 'workspace': {
      if (pattern === null) return floor(`${verb} the whole workspace (${resolved.path})`)
      const matcher = globToRegExp(pattern)
      if (matcher.test('src') && matcher.test('README.md')) return floor(`${verb} everything in the workspace (${where})`)
      if (matcher.test('.git')) return floor(`${verb} recursively ${where}, which matches the repository's .git`)
      return null
    }
    case 'outside':
      return floor(`${verb} recursively ${where}, outside the workspace`)
    case 'temp':
      return null
    case 'inside': {
      if (resolved.holdsGitDir) return floor(`${verb} the repository's .git directory (its whole history)`)
      if (resolved.protectedBecause) return floor(`${verb} ${where}: ${resolved.protectedBecause}`)
      const relative = posix.relative(context.environment.workspace, resolved.path)
      if (isGenerated(relative)) return null
      // A symlink: only the link goes.
      if (pattern === null && context.environment.realpath(resolved.path) !== resolved.path) return null
      if (pattern !== null && !/^[*?]+$/.test(pattern) && !globToRegExp(pattern).test('src')) return null
      return floor(`${verb} recursively ${where}, a folder of the workspace that is not a build output or cache`)
    }
  }
}

export function isRecursiveRemove(args: ShellWord[]): boolean {
  return hasOption(parseOptions(args, { permute: true }), '-r', '-R', '--recursive')
}

function rmFloor(args: ShellWord[], context: FloorContext): Finding[] {
  const parsed = parseOptions(args, { permute: true })
  const findings: Finding[] = []
  if (hasOption(parsed, '--no-preserve-root')) findings.push(floor('`--no-preserve-root` lets rm delete /'))
  const recursive = hasOption(parsed, '-r', '-R', '--recursive')
  if (context.dynamicTail) findings.push(floor(`deletes${recursive ? ' recursively' : ''} paths only known at run time`))
  for (const target of parsed.positionals) {
    const problem = recursive ? recursiveDeleteProblem(target, context) : singleFileDeleteProblem(target, context)
    if (problem) findings.push(problem)
  }
  return findings
}

/** `rm "$f"`, `rm *`: files only known at run time, or every file of a folder. */
function singleFileDeleteProblem(word: ShellWord, context: FloorContext): Finding | null {
  const reference = resolvePathWord(word, context.cwd, context.environment, false)
  if (reference === null) return floor(`deletes \`${word.source}\`, a path only known at run time`)
  const { resolved, pattern } = reference
  if (pattern === null || resolved.scope === 'temp') return null
  const matcher = globToRegExp(pattern)
  return matcher.test('index.ts') && matcher.test('README.md') && matcher.test('Makefile') ? floor(`deletes every file matching ${describe(reference)}`) : null
}

/** Folders the build or the package manager recreates: deleting them is routine. */
const GENERATED = /^(node_modules|dist|build|out|target|coverage|\.cache|__pycache__|\.next|\.nuxt|\.turbo|\.parcel-cache|\.pytest_cache|\.mypy_cache|\.ruff_cache|\.tox|\.venv|venv|\.gradle|tmp|temp|\.tmp|generated|\.eslintcache|\.svelte-kit|\.vite|\.angular|\.expo|bin|obj|logs?|\.nyc_output|storybook-static|public\/build|.*\.egg-info|\.DS_Store)$/

function isGenerated(relative: string): boolean {
  return relative.split('/').some((part) => GENERATED.test(part))
}

function rsyncFloor(args: ShellWord[]): Finding[] {
  const deleting = args.find((word) => word.resolved && /^--(delete|del$|remove-source-files)/.test(word.value))
  if (deleting) return [floor(`\`rsync ${deleting.value}\` deletes files at the destination or the source`)]
  return args.some((word) => !word.resolved && word.value.startsWith(UNKNOWN)) ? [floor('`rsync` with an option only known at run time may be `--delete`')] : []
}

const FIND_NON_FILTERS = new Set(['-delete', '-depth', '-d', '-maxdepth', '-mindepth', '-mount', '-xdev', '-follow', '-noleaf', '-ignore_readdir_race', '-daystart', '-print', '-print0'])

/** `find -delete` deletes what it finds for good, whatever the filter: always on the floor. */
function findFloor(args: ShellWord[], context: FloorContext): Finding[] {
  if (!args.some((word) => word.resolved && word.value === '-delete')) return []
  let index = 0
  while (index < args.length && ['-H', '-L', '-P'].includes((args[index] as ShellWord).value)) index += 1
  const starts: ShellWord[] = []
  while (index < args.length && !/^[-(!),]/.test((args[index] as ShellWord).value)) starts.push(args[index++] as ShellWord)
  const dot: ShellWord = { source: '.', value: '.', literal: true, resolved: true, glob: false, obfuscated: false, nested: [], processSubstitution: false }
  const filtered = args.slice(index).some((word) => word.value.startsWith('-') && !FIND_NON_FILTERS.has(word.value))
  const findings = (starts.length > 0 ? starts : [dot]).flatMap((start) => {
    const scope = resolvePathWord(start, context.cwd, context.environment)?.resolved.scope
    if (filtered && (scope === 'workspace' || scope === 'inside' || scope === 'temp')) return []
    return recursiveDeleteProblem(start, context) ?? []
  })
  return findings.length > 0 ? findings : [floor('`find -delete` deletes every file its filter matches, for good')]
}

function recursiveOwnershipFloor(base: string, args: ShellWord[], context: FloorContext): Finding[] {
  const parsed = parseOptions(args, { permute: true })
  if (!hasOption(parsed, '-R', '--recursive')) return []
  const targets = hasOption(parsed, '--reference') ? parsed.positionals : parsed.positionals.slice(1)
  const findings: Finding[] = []
  if (context.dynamicTail) findings.push(floor(`\`${base} -R\` on paths only known at run time`))
  for (const target of targets) {
    const reference = resolvePathWord(target, context.cwd, context.environment)
    const scope = reference?.resolved.scope
    if (scope === 'workspace' || scope === 'inside' || scope === 'temp') continue
    findings.push(floor(`\`${base} -R\` on ${reference ? describe(reference) : `\`${target.source}\`, a path only known at run time,`} outside the workspace`))
  }
  return findings
}

function ddFloor(args: ShellWord[], context: FloorContext): Finding[] {
  return args.flatMap((word) => {
    if (!word.value.startsWith('of=')) return []
    const target = { ...word, value: word.value.slice(3) }
    const reference = resolvePathWord(target, context.cwd, context.environment)
    if (reference === null) return [floor(`\`dd\` writes raw data to \`${word.source.slice(3)}\`, only known at run time (it may be a device)`)]
    return reference.resolved.path.startsWith('/dev/') && reference.resolved.protectedBecause ? [floor(`\`dd\` writes raw data to the device ${reference.resolved.path}`)] : []
  })
}

/** Programs whose floor depends on their arguments: checked again when another program is handed them. */
export const FLOOR_PROGRAMS: ReadonlySet<string> = new Set(['rm', 'rimraf', 'dd', 'chmod', 'chown', 'chgrp', 'git', 'find', 'shred', 'wipe', 'srm', 'unlink', 'rmdir', 'rsync', ...PERSISTENCE_PROGRAMS])

/** Floor findings for one program with its arguments, however it was reached. */
export function floorFindings(base: string, args: ShellWord[], context: FloorContext): Finding[] {
  if (isFilesystemMaker(base)) return [floor(`\`${base}\` formats or wipes a disk`)]
  if (PRIVILEGE_COMMANDS.has(base)) return [floor(`runs as another user (\`${base}\`)`)]
  if (PERSISTENCE_PROGRAMS.has(base)) return persistenceFloor(base, args)
  switch (base) {
    case 'rm':
      return rmFloor(args, context)
    case 'rimraf':
      return rmFloor([{ source: '-r', value: '-r', literal: true, resolved: true, glob: false, obfuscated: false, nested: [], processSubstitution: false }, ...args], context)
    case 'find':
      return findFloor(args, context)
    case 'chmod':
    case 'chown':
    case 'chgrp':
      return recursiveOwnershipFloor(base, args, context)
    case 'dd':
      return ddFloor(args, context)
    case 'git':
      return gitFloor(args)
    case 'shred':
    case 'wipe':
    case 'srm':
      return [floor(`\`${base}\` overwrites files so they cannot be recovered`)]
    case 'unlink':
    case 'rmdir':
      return context.dynamicTail || args.some((word) => !word.resolved) ? [floor(`\`${base}\` deletes paths only known at run time`)] : []
    case 'rsync':
      return rsyncFloor(args)
    default:
      return []
  }
}

