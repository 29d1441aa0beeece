// Who commits: the hardened git runner gives git an empty global config, so the person's name
// and email are read here, as data (GIT_AUTHOR_*/GIT_COMMITTER_* from the environment, else
// `user.name`/`user.email` from their global git config files), and passed to git explicitly.
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { GitCallEnvironment } from '../git/git-runner'

const MAX_CONFIG_BYTES = 1024 * 1024

/** `user.name` and `user.email` from git config text (the last value wins, as in git). */
export function userOfConfig(text: string): { name: string | null; email: string | null } {
  let section = ''
  let name: string | null = null
  let email: string | null = null
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[;#].*$/, '').trim()
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"[^"]*")?\s*\]$/.exec(line)
    if (header) {
      section = header[1]!.toLowerCase()
      continue
    }
    const pair = /^([A-Za-z][A-Za-z0-9-]*)\s*=\s*(.*)$/.exec(line)
    if (!pair || section !== 'user') continue
    const value = pair[2]!.replace(/^"(.*)"$/, '$1').trim()
    if (pair[1]!.toLowerCase() === 'name') name = value
    if (pair[1]!.toLowerCase() === 'email') email = value
  }
  return { name, email }
}

async function readSmall(path: string): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '')
  return text.length > MAX_CONFIG_BYTES ? '' : text
}

/** The identity for a commit, or an empty object to leave it to the repository's own config. */
export async function commitIdentity(env: NodeJS.ProcessEnv = process.env): Promise<GitCallEnvironment> {
  let name = env.GIT_AUTHOR_NAME ?? null
  let email = env.GIT_AUTHOR_EMAIL ?? null
  if (name === null || email === null) {
    const configHome = env.XDG_CONFIG_HOME ?? join(homedir(), '.config')
    for (const file of [join(configHome, 'git', 'config'), join(homedir(), '.gitconfig')]) {
      const user = userOfConfig(await readSmall(file))
      name ??= user.name
      email ??= user.email
    }
  }
  if (name === null || email === null) return {}
  return {
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: env.GIT_COMMITTER_NAME ?? name,
    GIT_COMMITTER_EMAIL: env.GIT_COMMITTER_EMAIL ?? email
  }
}
