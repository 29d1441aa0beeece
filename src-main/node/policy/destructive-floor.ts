// The destructive floor: commands that never run unasked, whatever the mode or the saved rules.
// Recursive deletes of /, home, the workspace or anything outside it; discarding git history or
// work; privilege changes; formatting disks; writes to devices and to protected paths.
import { posix } from 'node:path'
import { isFilesystemMaker, PRIVILEGE_COMMANDS } from './command-names'
import type { Finding } from './findings'
import { floor, opaque } from './findings'
import { hasOption, parseOptions } from './options'
import type { PathEnvironment, PathReference } from './path-scope'
import { resolvePathWord } from './path-scope'
import { splitGitCall } from './read-only-commands'
import type { ShellWord } from './shell-syntax'
import { expandBraces, hasBraceExpansion, hasUnquotedGlob } from './shell-words'
import { UNKNOWN } from './shell-syntax'

export interface FloorContext {
  environment: PathEnvironment
  /** The directory relative paths start from; null when a `cd` made it unknown. */
  cwd: string | null
  /** Arguments only known at run time are appended (`xargs`, `find -exec ... +`). */
  dynamicTail: boolean
}

function globToRegExp(pattern: string): RegExp {
  const source = pattern.replace(/[.+^$(){}|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  try {
    return new RegExp(`^${source}$`)
  } catch {
    return /^/
  }
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
    case 'inside':
      if (resolved.holdsGitDir) return floor(`${verb} the repository's .git directory (its whole history)`)
      if (resolved.protectedBecause) return floor(`${verb} ${where}: ${resolved.protectedBecause}`)
      return null
  }
}

export function isRecursiveRemove(args: ShellWord[]): boolean {
  return hasOption(parseOptions(args, { permute: true }), '-r', '-R', '--recursive')
}

function rmFloor(args: ShellWord[], context: FloorContext): Finding[] {
  const parsed = parseOptions(args, { permute: true })
  const findings: Finding[] = []
  if (hasOption(parsed, '--no-preserve-root')) findings.push(floor('`--no-preserve-root` lets rm delete /'))
  if (!hasOption(parsed, '-r', '-R', '--recursive')) return findings
  if (context.dynamicTail) findings.push(floor('deletes recursively paths only known at run time'))
  for (const target of parsed.positionals) {
    const problem = recursiveDeleteProblem(target, context)
    if (problem) findings.push(problem)
  }
  return findings
}

const FIND_NON_FILTERS = new Set(['-delete', '-depth', '-d', '-maxdepth', '-mindepth', '-mount', '-xdev', '-follow', '-noleaf', '-ignore_readdir_race', '-daystart', '-print', '-print0'])

function findFloor(args: ShellWord[], context: FloorContext): Finding[] {
  if (!args.some((word) => word.resolved && word.value === '-delete')) return []
  let index = 0
  while (index < args.length && ['-H', '-L', '-P'].includes((args[index] as ShellWord).value)) index += 1
  const starts: ShellWord[] = []
  while (index < args.length && !/^[-(!),]/.test((args[index] as ShellWord).value)) starts.push(args[index++] as ShellWord)
  const expression = args.slice(index)
  const filtered = expression.some((word) => word.value.startsWith('-') && !FIND_NON_FILTERS.has(word.value) && !/^\d+$/.test(word.value))
  const dot: ShellWord = { source: '.', value: '.', literal: true, resolved: true, glob: false, obfuscated: false, nested: [], processSubstitution: false }
  const findings: Finding[] = []
  for (const start of starts.length > 0 ? starts : [dot]) {
    const problem = recursiveDeleteProblem(start, context)
    if (!problem) continue
    if (!filtered) findings.push(problem)
    else {
      const reference = resolvePathWord(start, context.cwd, context.environment)
      const scope = reference?.resolved.scope
      if (scope !== 'workspace' && scope !== 'inside' && scope !== 'temp') findings.push(floor(`\`find -delete\` deletes files under ${reference ? describe(reference) : `\`${start.source}\``}, outside the workspace`))
    }
  }
  return findings
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

const WHOLE_TREE = new Set(['.', ':/', ':(top)', '*'])

function literalWord(value: string): ShellWord {
  return { source: value, value, literal: true, resolved: true, glob: false, obfuscated: false, nested: [], processSubstitution: false }
}

function gitSubcommandFloor(subcommand: string, rest: ShellWord[]): Finding[] {
  switch (subcommand) {
    case 'reset': {
      if (rest.some((word) => word.resolved && word.value === '--hard')) return [floor('`git reset --hard` discards uncommitted work for good')]
      const hidden = rest.some((word) => !word.resolved && word.value.startsWith(UNKNOWN))
      return hidden ? [floor('`git reset` with an option only known at run time may be `--hard`, which discards uncommitted work')] : []
    }
    case 'clean': {
      const parsed = parseOptions(rest, { permute: true, shortWithValue: 'e', longWithValue: ['--exclude'] })
      const force = hasOption(parsed, '-f', '--force')
      const wide = hasOption(parsed, '-d', '-x', '-X')
      const dryRun = hasOption(parsed, '-n', '--dry-run')
      return force && wide && !dryRun ? [floor('`git clean -f` with `-d`/`-x` deletes untracked (and ignored) files for good')] : []
    }
    case 'push': {
      const parsed = parseOptions(rest, { permute: true, shortWithValue: 'o', longWithValue: ['--repo', '--receive-pack', '--exec', '--push-option'] })
      const force = parsed.options.find((option) => ['-f', '--force', '--mirror', '--force-with-lease', '--force-if-includes', '-d', '--delete', '--prune'].includes(option.name))
      if (force) return [floor(`\`git push ${force.name}\` rewrites or deletes history on the remote`)]
      const refspec = parsed.positionals.slice(1).find((word) => word.value.startsWith('+') || word.value.startsWith(':'))
      if (refspec?.value.startsWith('+')) return [floor(`\`git push ${refspec.value}\` force-pushes (rewrites history on the remote)`)]
      return refspec ? [floor(`\`git push ${refspec.value}\` deletes a branch on the remote`)] : []
    }
    case 'checkout':
    case 'switch':
    case 'restore': {
      const parsed = parseOptions(rest, { permute: true, shortWithValue: 'bBs', longWithValue: ['--source', '--conflict', '--orphan'] })
      if (hasOption(parsed, '-f', '--force', '--discard-changes')) return [floor(`\`git ${subcommand} --force\` discards uncommitted changes for good`)]
      if (subcommand === 'restore' && hasOption(parsed, '-S', '--staged') && !hasOption(parsed, '-W', '--worktree')) return []
      const whole = parsed.positionals.find((word) => word.resolved && WHOLE_TREE.has(word.value))
      return whole ? [floor(`\`git ${subcommand} ${whole.value}\` discards every uncommitted change in the tree`)] : []
    }
    case 'stash':
      return rest[0]?.value === 'clear' ? [floor('`git stash clear` drops every stash for good')] : []
    default:
      return []
  }
}

function gitFloor(args: ShellWord[]): Finding[] {
  const { subcommand, args: rest, configs } = splitGitCall(args)
  if (!subcommand) return []
  if (!subcommand.resolved) {
    const guesses = ['reset', 'clean', 'push'].flatMap((guess) => gitSubcommandFloor(guess, rest))
    return guesses.length > 0 ? [floor(`the git subcommand is only known at run time, and with these arguments it may destroy work (${guesses.map((finding) => finding.reason).join('; ')})`)] : []
  }
  // `git -c alias.x='reset --hard' x`: the alias is what runs.
  const alias = configs.find((config) => config.startsWith(`alias.${subcommand.value}=`))
  if (alias !== undefined) {
    const expansion = alias.slice(alias.indexOf('=') + 1).trim()
    if (expansion.startsWith('!')) return [opaque(`\`git ${subcommand.value}\` runs a shell command defined on the command line (\`${expansion}\`)`)]
    return gitFloor([...expansion.split(/\s+/).map(literalWord), ...rest])
  }
  return gitSubcommandFloor(subcommand.value, rest)
}

/** Floor findings for one program with its arguments, however it was reached. */
export function floorFindings(base: string, args: ShellWord[], context: FloorContext): Finding[] {
  if (isFilesystemMaker(base)) return [floor(`\`${base}\` formats or wipes a disk`)]
  if (PRIVILEGE_COMMANDS.has(base)) return [floor(`runs as another user (\`${base}\`)`)]
  switch (base) {
    case 'rm':
      return rmFloor(args, context)
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
      return context.dynamicTail ? [floor('`shred` destroys files only known at run time')] : []
    default:
      return []
  }
}

