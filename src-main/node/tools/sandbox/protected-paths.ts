// Files and folders a run may not write even inside its workspace: code planted there would run
// later, outside the sandbox (git hooks and config, shell start-up files, editor tasks, hook
// managers' configs).
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

/** Folders (at the top of the workspace) whose content runs on the person's machine: editor tasks, dev containers, git hook managers. */
export const PROTECTED_WORKSPACE_DIRECTORY_NAMES = ['.vscode', '.idea', '.zed', '.devcontainer', '.husky', '.githooks', '.lefthook'] as const

/** Names (at the top of the workspace) made read-only inside the sandbox when they exist. */
export const PROTECTED_WORKSPACE_NAMES = [
  ...SHELL_STARTUP_FILES,
  ...PROTECTED_WORKSPACE_DIRECTORY_NAMES,
  '.gitconfig',
  '.gitmodules',
  '.lfsconfig',
  '.ripgreprc',
  '.mcp.json',
  '.devcontainer.json',
  '.nvim.lua',
  '.nvimrc',
  '.exrc',
  '.pre-commit-config.yaml',
  'lefthook.yml',
  'lefthook.yaml',
  '.lefthook.yml',
  '.lefthook.yaml',
  'lefthook-local.yml',
  'lefthook-local.yaml'
] as const

/** Protected directories that editors open on their own: when missing, an empty read-only placeholder keeps them from being created. */
export const PLACEHOLDER_DIRECTORY_NAMES: ReadonlySet<string> = new Set(['.vscode', '.idea', '.zed', '.devcontainer'])

export type GitPlaceholder = { kind: 'directory' } | { kind: 'file'; content: string }

/**
 * Inside a git directory these are what git executes or reads config from; they stay read-only,
 * and when missing a placeholder (that git reads as "nothing") is put in their place so they
 * cannot be created. The rest (objects, refs, index, HEAD, logs) stays writable so commits and
 * branches work.
 */
export const PROTECTED_GIT_ENTRIES: ReadonlyArray<readonly [name: string, placeholder: GitPlaceholder]> = [
  ['hooks', { kind: 'directory' }],
  ['config', { kind: 'file', content: '' }],
  ['config.worktree', { kind: 'file', content: '' }],
  // "." names the git directory itself: exactly what git assumes without the file.
  ['commondir', { kind: 'file', content: '.\n' }],
  ['info', { kind: 'directory' }],
  ['modules', { kind: 'directory' }],
  ['worktrees', { kind: 'directory' }],
  ['objects/info', { kind: 'directory' }]
]

const PROTECTED_NAME_SET: ReadonlySet<string> = new Set(PROTECTED_WORKSPACE_NAMES)
const PROTECTED_DIRECTORY_SET: ReadonlySet<string> = new Set(PROTECTED_WORKSPACE_DIRECTORY_NAMES)

/**
 * Why the file tools refuse to write `relativePath` (workspace-relative, `/`-separated), or null.
 * Stricter than the sandbox on purpose: the file tools never write inside any `.git` directory.
 */
export function protectedReason(relativePath: string): string | null {
  const parts = relativePath.split('/')
  if (parts.includes('.git')) return 'it is inside a git directory'
  for (const part of parts.slice(0, -1)) {
    if (PROTECTED_DIRECTORY_SET.has(part)) return `it is inside ${part}, whose content can run code outside the sandbox`
  }
  const name = basename(relativePath)
  if (PROTECTED_NAME_SET.has(name)) return `${name} is a protected file (it can run code outside the sandbox)`
  return null
}
