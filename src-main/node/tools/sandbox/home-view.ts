// The home directory a sandbox sees: an empty, throwaway one with only the listed toolchain
// folders of the real home shown read-only. Secrets are hidden by policy rather than by name:
// a credential store nobody listed (today's ~/.ssh or ~/.aws, tomorrow's new tool) is simply
// not there, and neither is anything saved in the home after the sandbox started.
import { lstatSync, realpathSync } from 'node:fs'
import { isAbsolute, join, normalize, sep } from 'node:path'

/**
 * Toolchains and package caches that hold no credentials. Deliberately absent: `.cache` (tokens
 * live there, e.g. huggingface/token), `.cargo` as a whole (credentials.toml), `.m2` as a whole
 * (settings.xml), `.gradle` as a whole (gradle.properties), `.config`, `.local/share`.
 */
export const DEFAULT_HOME_ALLOWLIST: readonly string[] = [
  '.cargo/bin',
  '.cargo/registry',
  '.cargo/git',
  '.rustup',
  '.nvm',
  '.volta',
  '.bun/bin',
  '.deno/bin',
  '.pyenv',
  '.rbenv',
  '.goenv',
  '.sdkman/candidates',
  '.local/bin',
  '.local/lib',
  'go/pkg/mod',
  '.m2/repository',
  '.gradle/caches',
  '.gradle/wrapper/dists'
]

export interface HomeMount {
  /** The real folder shown. */
  source: string
  /** Where it appears inside the sandbox: the same path as in the real home. */
  target: string
}

/** Entries that are not plain relative paths inside the home, with why. */
export function invalidHomeAllowlistEntries(entries: readonly string[]): string[] {
  return entries
    .filter((entry) => {
      const trimmed = entry.replace(/^~\//, '')
      return trimmed.length === 0 || isAbsolute(trimmed) || normalize(trimmed).split(sep).includes('..') || normalize(trimmed) === '.'
    })
    .map((entry) => `'${entry}' is not a folder inside the home directory (write it like .cargo/bin or ~/.cargo/bin)`)
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(`${root}${sep}`)
}

/**
 * The folders to show for `allowlist`. An entry that is missing, or that is (or passes through)
 * a symlink to another place inside the home, is left out: the link could point at ~/.ssh.
 */
export function homeMounts(home: string, allowlist: readonly string[]): HomeMount[] {
  let realHome: string
  try {
    realHome = realpathSync(home)
  } catch {
    return []
  }
  const mounts: HomeMount[] = []
  for (const entry of allowlist) {
    const relativePath = normalize(entry.replace(/^~\//, ''))
    if (invalidHomeAllowlistEntries([entry]).length > 0) continue
    const target = join(realHome, relativePath)
    let source: string
    try {
      source = realpathSync(target)
      if (!lstatSync(source).isDirectory() && !lstatSync(source).isFile()) continue
    } catch {
      continue
    }
    if (isInside(realHome, source) && source !== target) continue
    if (!mounts.some((mount) => mount.target === target)) mounts.push({ source, target })
  }
  return mounts
}
