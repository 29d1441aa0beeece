// What makes the host's git deaf to the repository: git always reads the repository's own config
// (`.git/config`, the common dir's, `config.worktree`), which a hostile repository writes, so
// every setting that runs a program, reads another file or reaches the network is overridden
// with command-scope config (GIT_CONFIG_COUNT, which beats every file and is passed on to the
// git processes git itself starts). Settings keyed by a name the repository picks (filter and diff
// drivers, merge drivers, credential helpers per URL, per-protocol permissions) are overridden
// for every name the repository's config actually holds, listed right before each call.

/** Settings overridden on every call, whatever the repository says. */
export const FIXED_OVERRIDES: ReadonlyArray<readonly [string, string]> = [
  // Programs git runs on its own.
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', '/dev/null'],
  ['core.pager', 'cat'],
  ['core.editor', ':'],
  ['sequence.editor', ':'],
  ['core.askPass', ''],
  ['core.sshCommand', 'false'],
  ['core.alternateRefsCommand', ''],
  ['credential.helper', ''],
  ['diff.external', ''],
  ['gpg.program', 'false'],
  ['gpg.openpgp.program', 'false'],
  ['gpg.x509.program', 'false'],
  ['gpg.ssh.program', 'false'],
  ['gpg.ssh.defaultKeyCommand', ''],
  ['commit.gpgSign', 'false'],
  ['tag.gpgSign', 'false'],
  ['tag.forceSignAnnotated', 'false'],
  ['push.gpgSign', 'false'],
  ['log.showSignature', 'false'],
  ['merge.verifySignatures', 'false'],
  ['gc.auto', '0'],
  ['gc.autoDetach', 'false'],
  ['maintenance.auto', 'false'],
  // Other files git would open (each one could be a FIFO, a device or a secret).
  ['core.attributesFile', '/dev/null'],
  ['core.excludesFile', '/dev/null'],
  ['commit.template', '/dev/null'],
  ['diff.orderFile', '/dev/null'],
  ['blame.ignoreRevsFile', ''],
  ['core.untrackedCache', 'false'],
  ['core.splitIndex', 'false'],
  // No network, not even to a local path (a local "remote" runs upload-pack).
  ['protocol.allow', 'never'],
  ['protocol.file.allow', 'never'],
  ['protocol.ext.allow', 'never'],
  ['protocol.ssh.allow', 'never'],
  ['protocol.git.allow', 'never'],
  ['protocol.http.allow', 'never'],
  ['protocol.https.allow', 'never'],
  ['safe.bareRepository', 'explicit'],
  // Nested repositories are not entered: their config is not vetted.
  ['submodule.recurse', 'false'],
  ['diff.ignoreSubmodules', 'all'],
  ['status.submoduleSummary', 'false'],
  ['fetch.recurseSubmodules', 'false'],
  // Output that callers parse must not be reshaped (or partly hidden) by the repository.
  ['color.ui', 'never'],
  ...['diff', 'status', 'branch', 'grep', 'interactive', 'showBranch', 'advice', 'decorate', 'push', 'remote', 'transport'].map((area) => [`color.${area}`, 'never'] as const),
  ['diff.noprefix', 'false'],
  ['diff.srcPrefix', 'a/'],
  ['diff.dstPrefix', 'b/'],
  ['i18n.logOutputEncoding', 'UTF-8'],
  ['diff.mnemonicPrefix', 'false'],
  ['diff.relative', 'false'],
  ['core.quotePath', 'true']
]

interface NamedOverride {
  section: string
  variables: ReadonlyMap<string, string>
}

/** `<section>.<name>.<variable>` settings whose name the repository chooses, and the value that disarms each. */
const NAMED_OVERRIDES: readonly NamedOverride[] = [
  { section: 'filter', variables: new Map([['clean', ''], ['smudge', ''], ['process', ''], ['required', 'false']]) },
  { section: 'diff', variables: new Map([['command', ''], ['textconv', ''], ['cachetextconv', 'false']]) },
  { section: 'merge', variables: new Map([['driver', '']]) },
  { section: 'credential', variables: new Map([['helper', '']]) },
  { section: 'protocol', variables: new Map([['allow', 'never']]) },
  { section: 'trailer', variables: new Map([['command', ''], ['cmd', '']]) },
  { section: 'tar', variables: new Map([['command', '']]) },
  { section: 'remote', variables: new Map([['uploadpack', 'false'], ['receivepack', 'false'], ['vcs', ''], ['proxy', '']]) }
]

export class GitConfigRefused extends Error {}

/** Splits `section.name.variable` (the name may hold dots); null for a two-part key. */
function splitKey(key: string): { section: string; name: string; variable: string } | null {
  const first = key.indexOf('.')
  const last = key.lastIndexOf('.')
  if (first < 0 || first === last) return null
  return { section: key.slice(0, first).toLowerCase(), name: key.slice(first + 1, last), variable: key.slice(last + 1).toLowerCase() }
}

/**
 * The overrides for the keys the repository's config holds (as `git config -z --name-only --list`
 * prints them). Include directives are refused: the included file could change between this
 * listing and the call, after the overrides were chosen.
 */
export function overridesFor(keys: readonly string[]): Array<readonly [string, string]> {
  const overrides: Array<readonly [string, string]> = []
  const seen = new Set<string>()
  for (const key of keys) {
    const lower = key.toLowerCase()
    if (lower === 'include.path' || (lower.startsWith('includeif.') && lower.endsWith('.path'))) {
      throw new GitConfigRefused(`the repository's git config includes another file (${key}), which Tether does not follow`)
    }
    const parts = splitKey(key)
    if (parts === null) continue
    const rule = NAMED_OVERRIDES.find((candidate) => candidate.section === parts.section)
    if (rule === undefined) continue
    for (const [variable, value] of rule.variables) {
      const name = `${parts.section}.${parts.name}.${variable}`
      if (seen.has(name)) continue
      seen.add(name)
      overrides.push([name, value])
    }
  }
  return overrides
}

/** GIT_CONFIG_COUNT/KEY/VALUE variables: unlike `-c key=value`, a name holding `=` cannot break them. */
export function configEnvironment(overrides: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(overrides.length) }
  overrides.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key
    env[`GIT_CONFIG_VALUE_${index}`] = value
  })
  return env
}

/** Subcommands the host may run: built-ins that neither reach the network nor run a configured program by design. */
export const ALLOWED_SUBCOMMANDS: ReadonlySet<string> = new Set([
  'add', 'apply', 'blame', 'branch', 'cat-file', 'check-attr', 'check-ignore', 'checkout', 'checkout-index', 'cherry-pick',
  'commit', 'commit-tree', 'count-objects', 'describe', 'diff', 'diff-files', 'diff-index', 'diff-tree', 'for-each-ref',
  'format-patch', 'grep', 'hash-object', 'log', 'ls-files', 'ls-tree', 'merge', 'merge-base', 'merge-file', 'merge-tree',
  'mktree', 'mv', 'name-rev', 'read-tree', 'reset', 'restore', 'rev-list', 'rev-parse', 'revert', 'rm', 'show', 'show-ref',
  'stash', 'status', 'switch', 'symbolic-ref', 'tag', 'update-index', 'update-ref', 'worktree', 'write-tree'
])

/** Options added right after these subcommands: no external diff program, no textconv filter. */
export const DIFF_SAFETY_OPTIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['diff', ['--no-ext-diff', '--no-textconv']],
  ['log', ['--no-ext-diff', '--no-textconv']],
  ['show', ['--no-ext-diff', '--no-textconv']],
  ['format-patch', ['--no-ext-diff', '--no-textconv']],
  ['blame', ['--no-textconv']],
  ['grep', ['--no-textconv']]
])
