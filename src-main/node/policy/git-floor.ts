// The git part of the floor: what discards work or history for good, rewrites refs behind git's
// back, changes configuration (which can make git run programs later), or makes git run a
// program given on the command line.
import type { Finding } from './findings'
import { floor, opaque } from './findings'
import { hasOption, parseOptions } from './options'
import { splitGitCall } from './read-only-commands'
import type { ShellWord } from './shell-syntax'
import { UNKNOWN } from './shell-syntax'

const WHOLE_TREE = new Set(['.', ':/', ':(top)', '*', ':/*', './'])

/** `-c` settings that never make git run anything or write anywhere; every other one is on the floor. */
const HARMLESS_CONFIG =
  /^(color\.[\w.-]+|advice\.\w+|user\.(name|email|signingkey)|author\.(name|email)|committer\.(name|email)|core\.(quotepath|abbrev|autocrlf|safecrlf|filemode|ignorecase|precomposeunicode|longpaths|whitespace|commentchar|commentstring)|init\.defaultbranch|log\.\w+|format\.(pretty|date)|diff\.(renames|algorithm|noprefix|mnemonicprefix|context|statgraphwidth|interhunkcontext|indentheuristic|relative|submodule|colormoved)|merge\.(conflictstyle|ff|renames)|pull\.(rebase|ff)|rebase\.(autosquash|autostash|updaterefs)|commit\.(gpgsign|verbose|cleanup)|tag\.(gpgsign|sort)|column\.\w+|status\.\w+|branch\.sort|gc\.auto|i18n\.\w+|help\.\w+|versionsort\.\w+|blame\.\w+|grep\.\w+|protocol\.version|fetch\.(prune|parallel)|push\.(default|autosetupremote)|safe\.directory|maintenance\.auto)$/i
const QUIET_PAGERS = /^(pager\.[\w.-]+|core\.pager)$/i

function configFinding(setting: string): Finding | null {
  const equals = setting.indexOf('=')
  const key = equals === -1 ? setting : setting.slice(0, equals)
  const value = equals === -1 ? 'true' : setting.slice(equals + 1)
  if (HARMLESS_CONFIG.test(key)) return null
  if (QUIET_PAGERS.test(key) && /^(cat|less|more|false|true|)$/.test(value)) return null
  return floor(`\`git -c ${key}=…\` can make git run a program or write elsewhere (${key} = \`${value}\`)`)
}

function resetFloor(rest: ShellWord[]): Finding[] {
  const hard = rest.find((word) => word.resolved && (word.value === '--hard' || word.value === '--merge'))
  if (hard) return [floor(`\`git reset ${hard.value}\` discards uncommitted work for good`)]
  const hidden = rest.some((word) => !word.resolved && word.value.startsWith(UNKNOWN))
  return hidden ? [floor('`git reset` with an option only known at run time may be `--hard`, which discards uncommitted work')] : []
}

function checkoutFloor(subcommand: string, rest: ShellWord[]): Finding[] {
  const parsed = parseOptions(rest, { permute: true, shortWithValue: 'bBsc', longWithValue: ['--source', '--conflict', '--orphan', '--create', '--force-create'] })
  if (hasOption(parsed, '-f', '--force', '--discard-changes')) return [floor(`\`git ${subcommand} --force\` discards uncommitted changes for good`)]
  if (subcommand === 'switch') return hasOption(parsed, '-C', '--force-create') ? [floor('`git switch -C` resets an existing branch')] : []
  if (subcommand === 'checkout' && hasOption(parsed, '-B')) return [floor('`git checkout -B` resets an existing branch')]
  if (subcommand === 'restore') {
    if (hasOption(parsed, '-S', '--staged') && !hasOption(parsed, '-W', '--worktree')) return []
    return parsed.positionals.length > 0 || hasOption(parsed, '--pathspec-from-file') ? [floor('`git restore` discards uncommitted changes to the files it names for good')] : []
  }
  const whole = parsed.positionals.find((word) => word.resolved && WHOLE_TREE.has(word.value))
  if (whole) return [floor(`\`git checkout ${whole.value}\` discards every uncommitted change in the tree`)]
  const separated = rest.some((word) => word.resolved && word.value === '--')
  if (separated || parsed.positionals.length >= 2 || hasOption(parsed, '--pathspec-from-file')) {
    return [floor('`git checkout` with paths overwrites their uncommitted changes for good')]
  }
  return []
}

function branchFloor(rest: ShellWord[]): Finding[] {
  const parsed = parseOptions(rest, { permute: true, longWithValue: ['--contains', '--no-contains', '--merged', '--no-merged', '--points-at', '--sort', '--format'] })
  if (hasOption(parsed, '-D')) return [floor('`git branch -D` deletes a branch even if its commits are not merged')]
  if (hasOption(parsed, '-d', '--delete') && hasOption(parsed, '-f', '--force')) return [floor('`git branch --delete --force` deletes a branch even if its commits are not merged')]
  if (hasOption(parsed, '-M', '-C')) return [floor('`git branch -M`/`-C` overwrites an existing branch')]
  if (hasOption(parsed, '-f', '--force') && parsed.positionals.length > 0) return [floor('`git branch --force` moves an existing branch')]
  return []
}

function rmFloor(rest: ShellWord[]): Finding[] {
  const parsed = parseOptions(rest, { permute: true, longWithValue: ['--pathspec-from-file'] })
  if (hasOption(parsed, '--cached')) return []
  if (hasOption(parsed, '-n', '--dry-run')) return []
  if (hasOption(parsed, '-r', '-R')) return [floor('`git rm -r` deletes whole folders of the work tree')]
  if (hasOption(parsed, '-f', '--force')) return [floor('`git rm --force` deletes files with uncommitted changes')]
  const whole = parsed.positionals.find((word) => !word.resolved || WHOLE_TREE.has(word.value) || /[*?[]/.test(word.value))
  return whole ? [floor(`\`git rm ${whole.source}\` deletes many files of the work tree`)] : []
}

/** Config writes: the repository's or the person's git runs what they say, later and outside the sandbox. */
function configWriteFloor(rest: ShellWord[]): Finding[] {
  const parsed = parseOptions(rest, { permute: true, shortWithValue: 'f', longWithValue: ['--file', '--blob', '--type', '--default', '--comment', '--value'] })
  const first = parsed.positionals[0]?.value ?? ''
  const readVerbs = ['get', 'list', 'get-color', 'get-colorbool']
  const writeVerbs = ['set', 'unset', 'rename-section', 'remove-section', 'edit']
  const readOptions = hasOption(parsed, '--get', '--get-all', '--get-regexp', '--list', '-l', '--get-urlmatch', '--get-color', '--get-colorbool')
  const writeOptions = hasOption(parsed, '--add', '--unset', '--unset-all', '--replace-all', '--edit', '-e', '--rename-section', '--remove-section')
  const writes = writeOptions || writeVerbs.includes(first) || (!readOptions && !readVerbs.includes(first) && parsed.positionals.length >= 2)
  return writes ? [floor('`git config` changes configuration that git acts on later (hooks, pagers, filters, aliases)')] : []
}

function gcFloor(rest: ShellWord[]): Finding[] {
  const prune = rest.find((word) => word.value.startsWith('--prune'))
  return prune ? [floor('`git gc --prune` deletes unreachable commits for good')] : []
}

/** Floor findings for a git call: its global options and its subcommand. */
export function gitFloor(args: ShellWord[]): Finding[] {
  const { subcommand, args: rest, configs, unsafeGlobal } = splitGitCall(args)
  const findings: Finding[] = configs.flatMap((setting) => configFinding(setting) ?? [])
  if (unsafeGlobal === '--exec-path' || unsafeGlobal === '--config-env') findings.push(floor(`\`git ${unsafeGlobal}\` makes git run programs from elsewhere`))
  if (args.some((word) => /^(ext|fd)::/.test(word.value))) findings.push(floor('an `ext::` address makes git run a program as its transport'))
  const program = args.find((word) => /^--(upload-pack|receive-pack|exec)(=|$)/.test(word.value))
  if (program) findings.push(floor(`\`${program.value.split('=')[0]}\` makes git run a program`))
  if (!subcommand) return findings
  if (!subcommand.resolved) {
    const guesses = ['reset', 'clean', 'push', 'config'].flatMap((guess) => gitSubcommandFloor(guess, rest))
    if (guesses.length > 0) findings.push(floor(`the git subcommand is only known at run time, and with these arguments it may destroy work (${guesses.map((finding) => finding.reason).join('; ')})`))
    else findings.push(opaque('the git subcommand is only known at run time'))
    return findings
  }
  // `git -c alias.x='reset --hard' x`: the alias is what runs.
  const alias = configs.find((config) => config.toLowerCase().startsWith(`alias.${subcommand.value.toLowerCase()}=`))
  if (alias !== undefined) {
    const expansion = alias.slice(alias.indexOf('=') + 1).trim()
    if (expansion.startsWith('!')) return [...findings, floor(`\`git ${subcommand.value}\` runs a shell command defined on the command line (\`${expansion}\`)`)]
    const words = expansion.split(/\s+/).map((value): ShellWord => ({ source: value, value, literal: true, resolved: true, glob: false, obfuscated: false, nested: [], processSubstitution: false }))
    return [...findings, ...gitFloor([...words, ...rest])]
  }
  return [...findings, ...gitSubcommandFloor(subcommand.value, rest)]
}

function gitSubcommandFloor(subcommand: string, rest: ShellWord[]): Finding[] {
  const first = rest[0]?.value ?? ''
  switch (subcommand) {
    case 'reset':
      return resetFloor(rest)
    case 'clean': {
      const parsed = parseOptions(rest, { permute: true, shortWithValue: 'e', longWithValue: ['--exclude'] })
      return hasOption(parsed, '-n', '--dry-run') ? [] : [floor('`git clean` deletes untracked files for good')]
    }
    case 'push': {
      const parsed = parseOptions(rest, { permute: true, shortWithValue: 'o', longWithValue: ['--repo', '--receive-pack', '--exec', '--push-option'] })
      const force = parsed.options.find((option) => ['-f', '--force', '--mirror', '--force-with-lease', '--force-if-includes', '-d', '--delete', '--prune'].includes(option.name))
      if (force) return [floor(`\`git push ${force.name}\` rewrites or deletes history on the remote`)]
      if (hasOption(parsed, '--receive-pack', '--exec')) return [floor('`git push --receive-pack` runs a program')]
      const refspec = parsed.positionals.slice(1).find((word) => word.value.startsWith('+') || word.value.startsWith(':'))
      if (refspec?.value.startsWith('+')) return [floor(`\`git push ${refspec.value}\` force-pushes (rewrites history on the remote)`)]
      return refspec ? [floor(`\`git push ${refspec.value}\` deletes a branch on the remote`)] : []
    }
    case 'checkout':
    case 'switch':
    case 'restore':
      return checkoutFloor(subcommand, rest)
    case 'stash':
      return first === 'clear' || first === 'drop' ? [floor(`\`git stash ${first}\` drops stashed work for good`)] : []
    case 'branch':
      return branchFloor(rest)
    case 'rm':
      return rmFloor(rest)
    case 'config':
      return configWriteFloor(rest)
    case 'gc':
      return gcFloor(rest)
    case 'prune':
    case 'prune-packed':
      return [floor(`\`git ${subcommand}\` deletes unreachable objects for good`)]
    case 'reflog':
      return first === 'expire' || first === 'delete' ? [floor(`\`git reflog ${first}\` deletes the record that lets lost commits be recovered`)] : []
    case 'update-ref':
      return [floor('`git update-ref` rewrites or deletes refs directly, past the safety of branch commands')]
    case 'symbolic-ref':
      return rest.some((word) => word.value === '-d' || word.value === '--delete') ? [floor('`git symbolic-ref --delete` deletes a ref')] : []
    case 'filter-branch':
    case 'filter-repo':
      return [floor(`\`git ${subcommand}\` rewrites the repository's whole history`)]
    case 'replace':
      return [floor('`git replace` makes git show other objects in place of real ones')]
    case 'worktree':
      return first === 'remove' && rest.some((word) => word.value === '-f' || word.value === '--force') ? [floor('`git worktree remove --force` deletes a worktree with its uncommitted changes')] : []
    case 'init':
    case 'clone':
      return rest.some((word) => word.value.startsWith('--template') || word.value.startsWith('--upload-pack') || word.value === '-u')
        ? [floor(`\`git ${subcommand}\` with a template or upload-pack program plants or runs code`)]
        : rest.some((word) => word.value === '-c' || word.value.startsWith('--config'))
          ? rest.flatMap((word, index) => (rest[index - 1]?.value === '-c' || rest[index - 1]?.value === '--config' ? (configFinding(word.value) ?? []) : []))
          : []
    case 'read-tree':
      return rest.some((word) => word.value === '-u' || word.value === '--reset') ? [floor('`git read-tree -u` overwrites the work tree')] : []
    case 'checkout-index':
      return rest.some((word) => /^-[a-zA-Z]*f|^--force$/.test(word.value)) ? [floor('`git checkout-index --force` overwrites work-tree files')] : []
    case 'update-index':
      return rest.some((word) => /^--(no-)?(assume-unchanged|skip-worktree)$/.test(word.value))
        ? [floor('`git update-index --assume-unchanged`/`--skip-worktree` hides changes from git and from the review of this run')]
        : []
    case 'remote':
      return ['add', 'set-url', 'rename', 'remove', 'rm', 'set-head', 'set-branches', 'prune'].includes(first) ? [floor(`\`git remote ${first}\` changes where git fetches and pushes`)] : []
    case 'tag':
      return rest.some((word) => /^-[a-zA-Z]*[df]|^--(delete|force)$/.test(word.value)) ? [floor('`git tag --delete`/`--force` deletes or moves a tag')] : []
    case 'maintenance':
      return ['register', 'start'].includes(first) ? [floor(`\`git maintenance ${first}\` schedules git to run later`)] : []
    case 'submodule':
      return first === 'deinit' && rest.some((word) => /^-[a-zA-Z]*f|^--force$/.test(word.value)) ? [floor('`git submodule deinit --force` deletes submodule work trees with their changes')] : []
    case 'hook':
      return [floor('`git hook run` runs the repository\'s hooks')]
    case 'lfs':
      return first === 'install' ? [floor('`git lfs install` changes the person\'s git configuration')] : []
    default:
      return []
  }
}

/** Shell commands git is told to run: `rebase --exec`, `bisect run`, `submodule foreach`, `difftool -x`. */
export function gitEmbeddedScripts(args: ShellWord[]): { text: string | null; origin: string }[] {
  const { subcommand, args: rest } = splitGitCall(args)
  if (!subcommand?.resolved) return []
  const scripts: { text: string | null; origin: string }[] = []
  const joined = (words: ShellWord[]): string | null => (words.every((word) => word.resolved) ? words.map((word) => word.value).join(' ') : null)
  rest.forEach((word, index) => {
    const next = rest[index + 1]
    if (subcommand.value === 'rebase' && (word.value === '-x' || word.value === '--exec') && next) scripts.push({ text: next.resolved ? next.value : null, origin: 'git rebase --exec' })
    if (subcommand.value === 'rebase' && word.value.startsWith('--exec=')) scripts.push({ text: word.resolved ? word.value.slice(7) : null, origin: 'git rebase --exec' })
    if (subcommand.value === 'difftool' && (word.value === '-x' || word.value === '--extcmd') && next) scripts.push({ text: next.resolved ? next.value : null, origin: 'git difftool --extcmd' })
  })
  if (subcommand.value === 'bisect' && rest[0]?.value === 'run') scripts.push({ text: joined(rest.slice(1)), origin: 'git bisect run' })
  if (subcommand.value === 'submodule') {
    const at = rest.findIndex((word) => word.value === 'foreach')
    if (at !== -1) scripts.push({ text: joined(rest.slice(at + 1).filter((word) => word.value !== '--recursive')), origin: 'git submodule foreach' })
  }
  return scripts
}
