// Git as the host runs it on a person's repo: read-only in effect, and deaf to repo settings that
// would run programs (fsmonitor, external diff, textconv).
import { execFile } from 'node:child_process'

const HARDENING = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null']

class GitError extends Error {}

export function git(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...HARDENING, ...args],
      {
        cwd,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C', ...env },
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8'
      },
      (error, stdout, stderr) => {
        if (error) reject(new GitError(`git ${args[0] ?? ''}: ${(stderr || error.message).trim()}`))
        else resolve(stdout)
      }
    )
  })
}

export async function isGitWorkTree(path: string): Promise<boolean> {
  try {
    return (await git(path, ['rev-parse', '--is-inside-work-tree'])).trim() === 'true'
  } catch {
    return false
  }
}
