// Mount sources must exist: only the paths that do are kept, resolved to real paths.
import { realpathSync, statSync } from 'node:fs'

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
