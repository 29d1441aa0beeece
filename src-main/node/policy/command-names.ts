// Names of commands the classifier treats specially, and how a written name maps to one.
import type { ShellWord } from './shell-syntax'

const SYSTEM_BIN_DIRS = new Set(['/bin', '/usr/bin', '/usr/local/bin', '/sbin', '/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin'])

export interface CommandName {
  /** The last path component: what the floor checks look at, however the program was reached. */
  base: string
  /** A bare name or a system binary directory: only then is it the well-known program. */
  wellKnown: boolean
  /** What rules match: the base name for well-known programs, the name as written otherwise. */
  ruleToken: string
}

export function commandName(word: ShellWord): CommandName {
  const written = word.value
  const slash = written.lastIndexOf('/')
  if (slash === -1) return { base: written, wellKnown: true, ruleToken: written }
  const base = written.slice(slash + 1)
  const wellKnown = SYSTEM_BIN_DIRS.has(written.slice(0, slash))
  return { base, wellKnown, ruleToken: wellKnown ? base : written }
}

export const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'yash', 'tcsh', 'csh'])

/** Programs that run code given inline or on standard input. */
export const INTERPRETERS = new Set([
  'python',
  'python2',
  'python3',
  'perl',
  'ruby',
  'node',
  'nodejs',
  'deno',
  'bun',
  'php',
  'lua',
  'tclsh',
  'pwsh',
  'osascript'
])

export const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'xh', 'lwp-request', 'GET'])

export const PRIVILEGE_COMMANDS = new Set(['sudo', 'su', 'doas', 'pkexec', 'run0', 'sudoedit'])

export const DISK_DESTROYERS = new Set(['mkswap', 'wipefs', 'fdisk', 'sfdisk', 'cfdisk', 'gdisk', 'sgdisk', 'parted', 'blkdiscard', 'mke2fs'])

export function isFilesystemMaker(base: string): boolean {
  return base === 'mkfs' || base.startsWith('mkfs.') || DISK_DESTROYERS.has(base)
}
