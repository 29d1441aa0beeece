// A workspace read independently of the snapshot code, for comparing states in tests: every path
// with its kind, permission bits and content (or link target); and a digest of a folder's bytes.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'

export function isGitPath(path: string): boolean {
  return path === '.git' || path.startsWith('.git/')
}

export function workspaceTree(root: string, skip: (path: string) => boolean = isGitPath): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir))) {
      const path = dir === '' ? name : `${dir}/${name}`
      if (skip(path)) continue
      const stats = lstatSync(join(root, path))
      const mode = (stats.mode & 0o7777).toString(8)
      if (stats.isSymbolicLink()) out[path] = `link -> ${readlinkSync(join(root, path))}`
      else if (stats.isDirectory()) {
        out[path] = `dir ${mode}`
        walk(path)
      } else out[path] = `file ${mode} ${readFileSync(join(root, path), 'utf8')}`
    }
  }
  walk('')
  return out
}

/** Every path, mode and byte under `root`. */
export function folderDigest(root: string): string {
  const hash = createHash('sha256')
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      const stats = lstatSync(path)
      hash.update(`${path}:${stats.mode}:`)
      if (stats.isDirectory()) walk(path)
      else if (stats.isFile()) hash.update(readFileSync(path))
      else if (stats.isSymbolicLink()) hash.update(readlinkSync(path))
    }
  }
  walk(root)
  return hash.digest('hex')
}

export function bash(cwd: string, script: string): void {
  execFileSync('bash', ['-c', script], { cwd, stdio: 'ignore' })
}
