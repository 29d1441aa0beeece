// Paths that matter beyond their content: where secrets live (reading them is on the floor) and
// where a write plants code that runs later outside the sandbox (writing them is on the floor).
import { posix } from 'node:path'
import { protectedReason } from '../tools/sandbox/protected-paths'

/** Home-relative locations of credentials, keys, tokens and the histories that hold pasted ones. */
const HOME_SECRETS = [
  '.ssh',
  '.aws',
  '.azure',
  '.config/gcloud',
  '.kube',
  '.docker/config.json',
  '.dockercfg',
  '.netrc',
  '.git-credentials',
  '.config/git/credentials',
  '.gnupg',
  '.password-store',
  '.local/share/keyrings',
  'Library/Keychains',
  'Library/Cookies',
  '.npmrc',
  '.yarnrc.yml',
  '.pypirc',
  '.gem/credentials',
  '.cargo/credentials',
  '.cargo/credentials.toml',
  '.m2/settings.xml',
  '.m2/settings-security.xml',
  '.gradle/gradle.properties',
  '.terraform.d/credentials.tfrc.json',
  '.terraformrc',
  '.config/gh',
  '.config/hub',
  '.config/op',
  '.op',
  '.claude',
  '.claude.json',
  '.codex',
  '.config/openai',
  '.vault-token',
  '.pgpass',
  '.my.cnf',
  '.boto',
  '.s3cfg',
  '.config/rclone',
  '.mozilla',
  '.config/google-chrome',
  '.config/chromium',
  '.bash_history',
  '.zsh_history',
  '.history',
  '.python_history',
  '.node_repl_history',
  '.psql_history',
  '.mysql_history',
  '.lesshst',
  '.viminfo',
  '.local/share/fish/fish_history',
  '.local/share/tether',
  'Library/Application Support/Tether',
  '.config/tether'
]

/** Credential stores named anywhere in a command's text (quoted, in code, after `$(<`), whatever resolves them. */
const SECRET_MENTION =
  /(^|[\s/~'"=@:<>$({])(\.ssh\/(id_|identity\b)|\.aws\/credentials|\.netrc\b|\.git-credentials|\.pgpass\b|\.vault-token|\.docker\/config\.json|\.kube\/config|\.config\/gh\/hosts|\.config\/gcloud\/|\.gnupg\/|\.password-store|\.local\/share\/(tether|keyrings)\b|\/proc\/[^/\s'"]*\/environ\b)/

/** Why the text names a credential store, or null. */
export function secretMention(text: string): string | null {
  const match = SECRET_MENTION.exec(text)
  return match ? `it names ${match[2]}, where credentials live` : null
}

/** Public halves and host lists in ~/.ssh: reading them discloses nothing. */
const SSH_PUBLIC = /(\.pub|^known_hosts(\.old)?)$/

/** File names that hold secrets wherever they are. */
const SECRET_NAMES =
  /^(\.env(\.(?!(example|sample|template|dist|defaults?|schema)$)[\w.-]+)?|\.envrc|\.netrc|_netrc|\.git-credentials|\.pgpass|\.htpasswd|id_(rsa|dsa|ecdsa|ed25519)(_sk)?|[\w.-]+\.(pem|key|p12|pfx|jks|keystore|kdbx|ppk)|credentials(\.json|\.toml)?|secrets?\.(json|ya?ml|toml|env)|service[-_]account.*\.json)$/i

const SYSTEM_SECRETS = [/^\/etc\/(g?shadow|sudoers)(-|$|\/)/, /^\/etc\/ssh\/ssh_host_.*key$/, /^\/proc\/[^/]+\/(task\/[^/]+\/)?(environ|mem|auxv)$/, /^\/dev\/(k?mem|port)$/, /^\/(var\/)?run\/secrets(\/|$)/, /^\/run\/user\/[^/]+\/keyring(\/|$)/]

/** `/proc/$$/environ`: the process is only known at run time, the file is not. */
export const PROCESS_SECRET = /^\/proc\/[^/]*\/(task\/[^/]*\/)?(environ|mem)$/

function within(path: string, directory: string): boolean {
  return path === directory || path.startsWith(directory === '/' ? '/' : `${directory}/`)
}

/** Why reading `path` (absolute, resolved) discloses secrets, or null. */
export function secretReason(path: string, home: string, dataDir: string | null): string | null {
  if (dataDir !== null && within(path, dataDir)) return "it is Tether's own data (API keys, settings, other runs' logs)"
  if (within(path, home) && path !== home) {
    const relative = posix.relative(home, path)
    for (const entry of HOME_SECRETS) {
      if (!within(relative, entry)) continue
      if (entry === '.ssh' && SSH_PUBLIC.test(posix.basename(relative))) return null
      return `~/${entry} holds credentials`
    }
  }
  if (SYSTEM_SECRETS.some((pattern) => pattern.test(path))) return `${path} holds secrets`
  if (SECRET_NAMES.test(posix.basename(path))) return `${posix.basename(path)} is a file that holds secrets`
  return null
}

/** Directories whose whole content includes secret stores: reading them recursively reads secrets. */
export function holdsSecrets(path: string, home: string, dataDir: string | null): boolean {
  if (within(home, path)) return true
  if (dataDir !== null && within(dataDir, path)) return true
  return path === '/proc' || path === '/etc' || path === '/run' || path === '/var/run'
}

/** Workspace folders whose files git or an editor runs on the person's machine. */
const CODE_RUN_LATER_DIRECTORIES: Record<string, string> = {
  '.git': 'it is inside a git directory (history, refs, hooks and config)',
  '.husky': 'git hooks live in .husky',
  '.githooks': 'git hooks live in .githooks',
  '.git-hooks': 'git hooks live in .git-hooks',
  '.vscode': 'editor tasks and settings in .vscode can run code',
  '.idea': 'editor tasks and settings in .idea can run code',
  '.devcontainer': 'the editor runs the commands in .devcontainer',
  '.fleet': 'editor tasks and settings in .fleet can run code',
  '.zed': 'editor tasks and settings in .zed can run code'
}

const CODE_RUN_LATER_FILES =
  /^(\.envrc|\.env\.rc|lefthook(-local)?\.ya?ml|\.lefthook(-local)?\.ya?ml|\.pre-commit-config\.yaml|\.gitconfig|\.gitmodules|\.mcp\.json|\.ripgreprc|\.npmrc|\.yarnrc(\.yml)?|\.pnpmfile\.cjs|.*\.code-workspace)$/

/** Why writing `relative` (inside the workspace) plants code that runs later, or null. */
export function workspaceWriteReason(relative: string): string | null {
  const parts = relative.split('/')
  for (const part of parts) {
    const reason = Object.hasOwn(CODE_RUN_LATER_DIRECTORIES, part) ? CODE_RUN_LATER_DIRECTORIES[part] : undefined
    if (reason) return reason
  }
  const name = parts[parts.length - 1] ?? ''
  if (name === '.git') return '.git is the repository itself'
  if (name === '.envrc' || name === '.env.rc') return 'direnv runs .envrc in the person\'s shell'
  if (CODE_RUN_LATER_FILES.test(name)) return `${name} makes the person's tools run code`
  return protectedReason(relative)
}

/** Home folders that only hold caches: tools write there during ordinary builds. */
const HOME_CACHES = ['.cache', '.npm', '.yarn/cache', '.pnpm-store', '.cargo/registry', '.cargo/git', '.rustup/tmp', '.m2/repository', '.gradle/caches', '.local/share/pnpm', '.bun/install/cache', '.deno']

/** Why writing `path` under the home directory (not the workspace) is never routine, or null. */
export function homeWriteReason(relative: string): string | null {
  const [first = ''] = relative.split('/')
  if (HOME_CACHES.some((cache) => within(relative, cache))) return null
  if (first.startsWith('.')) return `~/${first} is configuration the person's shells and tools read (a file planted there runs later)`
  if (within(relative, 'bin') || within(relative, 'Library/LaunchAgents') || within(relative, 'Library/LaunchDaemons')) return `~/${relative} holds programs that run later`
  return null
}
