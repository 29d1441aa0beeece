// The rule "always allow" would save for one sub-command: as broad as is useful (it survives
// argument changes), never broader than the program's subcommand for tools that do many things.
import { INTERPRETERS, SHELLS } from './command-names'

/** Tools whose first word says what they do: the rule keeps it (`npm test`, `cargo build`). */
const SUBCOMMAND_TOOLS = new Set([
  'git',
  'npm',
  'pnpm',
  'yarn',
  'bun',
  'npx',
  'deno',
  'cargo',
  'rustup',
  'go',
  'docker',
  'podman',
  'kubectl',
  'helm',
  'pip',
  'pip3',
  'uv',
  'poetry',
  'pipenv',
  'dotnet',
  'gradle',
  './gradlew',
  'mvn',
  './mvnw',
  'make',
  'just',
  'gh',
  'terraform',
  'nx',
  'turbo',
  'composer',
  'bundle',
  'rake',
  'mix',
  'swift',
  'zig',
  'cmake',
  'brew',
  'apt',
  'apt-get',
  'systemctl',
  'corepack'
])

/** `npm run lint`: the script name is part of the rule. */
const SCRIPT_RUNNERS = new Set(['run', 'run-script', 'exec', 'x', 'dlx', 'task'])

/** Programs that delete, overwrite, send or run whatever their arguments say: only the exact command is suggested. */
const EXACT_ONLY = new Set([
  'rm',
  'rmdir',
  'unlink',
  'mv',
  'cp',
  'ln',
  'dd',
  'shred',
  'truncate',
  'chmod',
  'chown',
  'chgrp',
  'kill',
  'pkill',
  'killall',
  'curl',
  'wget',
  'ssh',
  'scp',
  'sftp',
  'rsync',
  'nc',
  'socat',
  'tee',
  'sed',
  'awk',
  'gawk',
  'install',
  'eval',
  'source',
  '.',
  'exec',
  'xargs',
  'find',
  'env'
])

function isOption(token: string): boolean {
  return token.startsWith('-')
}

function exact(tokens: readonly (string | null)[]): string[] | null {
  return tokens.every((token): token is string => token !== null) ? [...tokens] : null
}

/** The prefix rule to offer for a sub-command's tokens; null when no safe rule exists. */
export function suggestRule(tokens: readonly (string | null)[]): string[] | null {
  const [program, first, second] = tokens
  if (program === undefined || program === null) return null
  if (SHELLS.has(program) || INTERPRETERS.has(program) || /^python\d(\.\d+)?$/.test(program)) {
    // `python3 tool.py` may be allowed as a rule; inline code (`-c`, `-e`) never is.
    return first !== undefined && first !== null && !isOption(first) ? [program, first] : null
  }
  if (EXACT_ONLY.has(program)) return exact(tokens)
  if (SUBCOMMAND_TOOLS.has(program)) {
    if (first === undefined) return [program]
    if (first === null || isOption(first)) return exact(tokens)
    if (SCRIPT_RUNNERS.has(first)) return second !== undefined && second !== null && !isOption(second) ? [program, first, second] : exact(tokens)
    return [program, first]
  }
  return [program]
}
