// Credential reads are on the floor in every mode: a command that names a secret file or store,
// prints the environment or a secret variable, or asks a credential helper for a token. Paths are
// judged by where they point, whatever program is given them.
import type { Finding } from './findings'
import { floor, ask } from './findings'
import { hasOption, parseOptions } from './options'
import type { PathEnvironment } from './path-scope'
import { resolvePathWord } from './path-scope'
import { holdsSecrets, PROCESS_SECRET } from './sensitive-paths'
import type { ShellExpansion, ShellWord } from './shell-syntax'
import { HOME_MARK, UNKNOWN } from './shell-syntax'
import { globRegExp } from './shell-words'

/** Variable names that hold keys, tokens and passwords. */
const SECRET_VARIABLE = /(^|_)(API_?)?KEYS?($|_)|TOKEN|SECRET|PASSW(OR)?D|PASSPHRASE|CREDENTIAL|PRIVATE|(^|_)AUTH($|_)|COOKIE|SESSION|(^|_)PAT($|_)|_DSN$|DATABASE_URL|CONNECTION_STRING/i

export function isSecretVariable(name: string): boolean {
  return SECRET_VARIABLE.test(name)
}

export function expansionFindings(expansions: ShellExpansion[]): Finding[] {
  const findings: Finding[] = []
  for (const { name, indirect } of expansions) {
    if (indirect) findings.push(floor(`\`\${!${name}}\` expands a variable named only at run time (it may be a key or token)`))
    else if (isSecretVariable(name)) findings.push(floor(`expands \`$${name}\`, which holds a secret`))
  }
  return findings
}

/** The parts of a word that may name a file: the word, what follows `=` (`--file=X`) and `@` (`-d @X`). */
function pathCandidates(word: ShellWord): ShellWord[] {
  const candidates = [word]
  for (const separator of ['=', '@', ':']) {
    const at = word.value.indexOf(separator)
    if (at < (separator === '@' ? 0 : 1)) continue
    const value = word.value.slice(at + 1)
    if (value.length > 0) candidates.push({ ...word, value, source: word.source })
  }
  return candidates
}

const PATTERN_FIRST = new Set(['grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack', 'sed', 'awk', 'gawk', 'mawk', 'jq'])

/** The search pattern or script of `grep PATTERN file`, `sed SCRIPT file`, `jq FILTER file`: text, not a path. */
export function patternWord(base: string, args: ShellWord[]): ShellWord | null {
  if (!PATTERN_FIRST.has(base)) return null
  const parsed = parseOptions(args, { permute: true, shortWithValue: 'efABCmgtTMFv', longWithValue: ['--regexp', '--file', '--expression', '--glob', '--type', '--field-separator', '--assign', '--arg', '--argjson'] })
  if (hasOption(parsed, '-e', '-f', '--regexp', '--file', '--expression')) return null
  return parsed.positionals[0] ?? null
}

/** Floor findings for every word naming a secret: `cat ~/.ssh/id_rsa`, `curl -d @.env`, `/proc/$$/environ`. */
export function secretWordFindings(words: ShellWord[], cwd: string | null, environment: PathEnvironment): Finding[] {
  const findings: Finding[] = []
  for (const word of words) {
    for (const candidate of pathCandidates(word)) {
      const reason = secretInWord(candidate, cwd, environment)
      if (reason) {
        findings.push(floor(`reads credentials: ${reason}`))
        break
      }
    }
  }
  return findings
}

function secretInWord(word: ShellWord, cwd: string | null, environment: PathEnvironment): string | null {
  const value = word.value.replace(HOME_MARK, environment.home)
  if (PROCESS_SECRET.test(value.replaceAll(UNKNOWN, 'x'))) return `${word.source} is a process's environment or memory`
  const reference = resolvePathWord(word, cwd, environment)
  if (!reference) return null
  const { resolved, pattern } = reference
  if (resolved.secretBecause) return resolved.secretBecause
  if (pattern === null) return null
  // A glob: `~/.*`, `~/.ss?/*`, `~/*/id_rsa` may expand to secret stores.
  const rest = word.value.slice(word.value.indexOf(pattern))
  if (resolved.scope === 'home' && /^[.?[*]/.test(pattern) && (pattern.startsWith('.') || rest.includes('/'))) return `\`${word.source}\` expands into the home directory's hidden folders`
  const tail = rest.split('/').slice(1).join('/')
  if (tail.length > 0 && holdsSecrets(resolved.path, environment.home, environment.dataDir)) return `\`${word.source}\` may expand to secret files`
  const matches = globMatcher(pattern)
  const literal = pattern.replace(/[*?]|\[[^\]]*\]/g, '')
  const secret = literal.length >= 2 ? SECRET_SAMPLES.find((name) => matches(name) && (name.startsWith('.') || !pattern.startsWith('.'))) : undefined
  return secret ? `\`${word.source}\` may expand to ${secret}, a file that holds secrets` : null
}

/** Names of secret files a glob is tried against: `.env*` and `*.pem` match some, `*.ts` none. */
const SECRET_SAMPLES = ['.env', '.env.local', '.env.production', '.netrc', '.git-credentials', '.pgpass', 'id_rsa', 'id_ed25519', 'server.pem', 'server.key', 'credentials', 'credentials.json', 'secrets.json']

function globMatcher(pattern: string): (name: string) => boolean {
  const regex = globRegExp(pattern)
  return regex === null ? () => false : (name) => regex.test(name)
}

/** Programs that read every file under the directories they are given (or the current one). */
function recursiveDirectories(base: string, args: ShellWord[]): { paths: ShellWord[]; defaultsToCwd: boolean } | null {
  const parsed = parseOptions(args, { permute: true, shortWithValue: 'efgtTmABCAdDM', longWithValue: ['--regexp', '--file', '--glob', '--type', '--max-count'] })
  switch (base) {
    case 'rg':
    case 'ag':
    case 'ack': {
      const explicitPattern = hasOption(parsed, '-e', '--regexp', '-f', '--file')
      return { paths: explicitPattern ? parsed.positionals : parsed.positionals.slice(1), defaultsToCwd: true }
    }
    case 'grep':
    case 'egrep':
    case 'fgrep': {
      if (!hasOption(parsed, '-r', '-R', '--recursive', '--dereference-recursive')) return null
      const explicitPattern = hasOption(parsed, '-e', '--regexp', '-f', '--file')
      return { paths: explicitPattern ? parsed.positionals : parsed.positionals.slice(1), defaultsToCwd: true }
    }
    case 'tar':
    case 'zip':
    case '7z':
    case 'rsync':
    case 'scp':
    case 'cp':
    case 'strings':
      return { paths: parsed.positionals, defaultsToCwd: false }
    default:
      return null
  }
}

/** `rg password ~`, `tar czf x.tgz ~`: reading a folder that holds secret stores reads the secrets. */
export function recursiveSecretFindings(base: string, args: ShellWord[], cwd: string | null, environment: PathEnvironment): Finding[] {
  const recursive = recursiveDirectories(base, args)
  if (!recursive) return []
  const targets = recursive.paths.map((word) => resolvePathWord(word, cwd, environment)?.resolved.path ?? null)
  if (recursive.paths.length === 0 && recursive.defaultsToCwd) targets.push(cwd)
  const findings: Finding[] = []
  for (const target of targets) {
    if (target !== null && holdsSecrets(target, environment.home, environment.dataDir)) findings.push(floor(`\`${base}\` reads everything under ${target}, secret stores included`))
  }
  return findings
}

/** Printing the environment prints every key and token in it. */
export function environmentDumpFinding(base: string, args: ShellWord[]): Finding | null {
  const dump = floor(`\`${base}\` prints the environment, API keys and tokens included`)
  switch (base) {
    case 'env':
      // Reached only when `env` runs no program: it prints the environment.
      return dump
    case 'printenv': {
      const names = parseOptions(args, { permute: true }).positionals
      if (names.length === 0) return dump
      const secret = names.find((word) => !word.resolved || isSecretVariable(word.value))
      return secret ? floor(`\`printenv ${secret.source}\` prints a variable that may hold a secret`) : null
    }
    case 'set':
      return args.length === 0 ? dump : null
    case 'ps': {
      // BSD-style `ps e`, `ps auxe`, `ps eww` show each process's environment.
      const bsd = args.find((word) => word.resolved && /^[a-zA-Z]+$/.test(word.value) && word.value.includes('e'))
      return bsd || args.some((word) => word.resolved && /^-[a-zA-Z]*E|^--env/.test(word.value)) ? dump : null
    }
    case 'jq':
    case 'gojq':
    case 'yq':
      return args.some((word) => /(^|[^\w$.])\$?(ENV|env)\b/.test(word.value)) ? floor(`\`${base}\` reads the environment (\`env\`/\`$ENV\`), API keys included`) : null
    default:
      return null
  }
}

/** `declare -p`, `export`, `typeset -x`: with no names they print every variable. */
export function declarationDumpFinding(text: string): Finding | null {
  return /^(declare|typeset|export|readonly|local)(\s+-[a-zA-Z]*[px][a-zA-Z]*)*\s*$/.test(text) && !/\s-[a-zA-Z]*[fF]/.test(text)
    ? floor(`\`${text.trim()}\` prints the shell's variables, API keys and tokens included`)
    : null
}

/** `[program, subcommand words...]` that print stored credentials. */
const CREDENTIAL_PRINTERS: string[][] = [
  ['gh', 'auth', 'token'],
  ['gh', 'auth', 'status', '--show-token'],
  ['gh', 'auth', 'status', '-t'],
  ['glab', 'auth', 'status', '--show-token'],
  ['git', 'credential', 'fill'],
  ['git', 'credential-store'],
  ['git', 'credential-cache'],
  ['security', 'find-generic-password'],
  ['security', 'find-internet-password'],
  ['security', 'dump-keychain'],
  ['secret-tool', 'lookup'],
  ['secret-tool', 'search'],
  ['pass'],
  ['gopass'],
  ['op', 'read'],
  ['op', 'item', 'get'],
  ['aws', 'configure', 'get'],
  ['aws', 'configure', 'export-credentials'],
  ['aws', 'sts', 'get-session-token'],
  ['aws', 'ecr', 'get-login-password'],
  ['gcloud', 'auth', 'print-access-token'],
  ['gcloud', 'auth', 'print-identity-token'],
  ['gcloud', 'auth', 'application-default', 'print-access-token'],
  ['az', 'account', 'get-access-token'],
  ['kubectl', 'config', 'view', '--raw'],
  ['kubectl', 'get', 'secret'],
  ['kubectl', 'get', 'secrets'],
  ['vault', 'read'],
  ['vault', 'kv', 'get'],
  ['vault', 'token', 'lookup'],
  ['npm', 'token'],
  ['heroku', 'auth:token'],
  ['doppler', 'secrets'],
  ['keyctl', 'print'],
  ['keyctl', 'read'],
  ['keyctl', 'pipe'],
  ['gpg', '--export-secret-keys'],
  ['gpg', '--export-secret-subkeys'],
  ['ssh-keygen', '-y']
]

export function credentialPrinterFinding(base: string, args: ShellWord[]): Finding | null {
  const words = args.filter((word) => word.resolved).map((word) => word.value)
  for (const [program, ...rest] of CREDENTIAL_PRINTERS) {
    if (program !== base) continue
    if (rest.every((part) => words.includes(part))) return floor(`\`${[program, ...rest].join(' ')}\` prints stored credentials`)
  }
  return null
}

/** Content readers given a dotfile of the home directory: not a secret store, but not the workspace either. */
export function homeConfigReadFinding(words: ShellWord[], cwd: string | null, environment: PathEnvironment): Finding | null {
  for (const word of words) {
    const reference = resolvePathWord(word, cwd, environment)
    if (!reference || reference.resolved.scope !== 'outside') continue
    const path = reference.resolved.path
    if (path.startsWith(`${environment.home}/.`)) return ask(`reads ${path}, the person's configuration outside the workspace`)
  }
  return null
}
