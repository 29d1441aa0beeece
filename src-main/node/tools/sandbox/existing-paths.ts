// Mount sources must exist: only the paths that do are kept, resolved to real paths.
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs'
import { dirname, join, isAbsolute } from 'node:path'
import { isWithin } from '../files/path-policy'

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path)
  } catch {
    return null
  }
}

export function existingRealPaths(paths: readonly string[]): string[] {
  const found: string[] = []
  for (const path of paths) {
    const real = realOrNull(path)
    if (real !== null && !found.includes(real)) found.push(real)
  }
  return found
}

export function splitDirectoriesAndFiles(paths: readonly string[]): { directories: string[]; files: string[] } {
  const directories: string[] = []
  const files: string[] = []
  for (const path of existingRealPaths(paths)) {
    if (statSync(path).isDirectory()) directories.push(path)
    else files.push(path)
  }
  return { directories, files }
}

/**
 * Whether resolving `path` one component at a time, links included, enters `dir`: a path that
 * does can be redirected by whoever writes in `dir`, whatever it resolves to today.
 */
export function resolvesThrough(path: string, dir: string): boolean {
  const pending = path.split('/').filter((part) => part !== '' && part !== '.')
  let current = '/'
  let links = 0
  while (pending.length > 0) {
    const part = pending.shift()!
    const next = part === '..' ? dirname(current) : join(current, part)
    if (isWithin(dir, next)) return true
    let stats
    try {
      stats = lstatSync(next)
    } catch {
      return false
    }
    if (!stats.isSymbolicLink()) {
      current = next
      continue
    }
    // As the kernel does, give up on a chain of links too long to be anything but a loop.
    if (++links > 40) return true
    const target = readlinkSync(next)
    pending.unshift(...target.split('/').filter((piece) => piece !== '' && piece !== '.'))
    if (isAbsolute(target)) current = '/'
  }
  return false
}
