// Files and folders a run may not write even inside its workspace: code planted there would run
// later, outside the sandbox (git hooks and config, shell start-up files, editor tasks).
import { basename } from 'node:path'

/** Files a shell reads when it starts: whatever is written there runs in the person's next terminal. */
export const SHELL_STARTUP_FILES = [
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.bash_logout',
  '.profile',
  '.zshrc',
  '.zshenv',
  '.zprofile',
  '.zlogin',
  '.zlogout',
  '.cshrc',
  '.tcshrc',
  '.kshrc',
  '.inputrc'
] as const

/** Names (at the top of the workspace) made read-only inside the sandbox when they exist. */
export const PROTECTED_WORKSPACE_NAMES = [
  ...SHELL_STARTUP_FILES,
  '.gitconfig',
  '.gitmodules',
  '.ripgreprc',
  '.mcp.json',
  '.vscode',
  '.idea'
] as const

/** Protected names that are directories: when missing, an empty read-only placeholder keeps them from being created. */
export const PROTECTED_WORKSPACE_DIRECTORIES: ReadonlySet<string> = new Set(['.vscode', '.idea'])

/** Inside a git directory these stay read-only; the rest (objects, refs, index) stays writable so commits work. */
export const PROTECTED_GIT_NAMES = ['hooks', 'config'] as const

const PROTECTED_NAME_SET: ReadonlySet<string> = new Set(PROTECTED_WORKSPACE_NAMES)

/**
 * Why the file tools refuse to write `relativePath` (workspace-relative, `/`-separated), or null.
 * Stricter than the sandbox on purpose: the file tools never write inside any `.git` directory.
 */
export function protectedReason(relativePath: string): string | null {
  const parts = relativePath.split('/')
  if (parts.includes('.git')) return 'it is inside a git directory'
  for (const part of parts) {
    if (part === '.vscode' || part === '.idea') return `it is inside ${part}, whose tasks and settings can run code`
  }
  const name = basename(relativePath)
  if (PROTECTED_NAME_SET.has(name)) return `${name} is a protected file (it can run code outside the sandbox)`
  return null
}
