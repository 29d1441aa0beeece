// What a checkpoint knows about one path of a workspace. Paths are workspace-relative and
// `/`-separated; `.git` never appears in them. `stat` is the lstat fingerprint the entry was read
// with (inode, size, mtime and ctime in ns): a path whose fingerprint is unchanged is unchanged,
// since no process can set a file's ctime.
export type SnapshotEntry =
  | {
      kind: 'file'
      /** Permission bits, `st_mode & 0o7777`. */
      mode: number
      size: number
      /** sha256 of the content in the object store; null when it was not kept (see `note`). */
      hash: string | null
      note: string | null
      stat: string
    }
  | { kind: 'link'; target: string; stat: string }
  | { kind: 'dir'; mode: number; stat: string }


/** Two entries describe the same thing on disk (the fingerprint aside, which any copy changes). */
export function sameContent(a: SnapshotEntry | undefined, b: SnapshotEntry | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  switch (a.kind) {
    case 'file':
      return b.kind === 'file' && a.mode === b.mode && (a.hash !== null && b.hash !== null ? a.hash === b.hash : a.stat === b.stat)
    case 'link':
      return b.kind === 'link' && a.target === b.target
    case 'dir':
      return b.kind === 'dir' && a.mode === b.mode
  }
}

/** `a/b` lies inside `dir` (or is it); `''` is the workspace root. */
export function isWithin(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`)
}

/** `path` is one of `dirs` or lies inside one ('' holds everything); costs the path's depth, not the set's size. */
export function isWithinAny(path: string, dirs: ReadonlySet<string>): boolean {
  for (let dir = path; ; dir = parentOf(dir)) {
    if (dirs.has(dir)) return true
    if (dir === '') return false
  }
}

/** Every folder strictly above some path of `paths` ('' included). */
export function ancestorsOf(paths: Iterable<string>): Set<string> {
  const ancestors = new Set<string>()
  for (const path of paths) {
    if (path === '') continue
    for (let dir = parentOf(path); !ancestors.has(dir); dir = parentOf(dir)) {
      ancestors.add(dir)
      if (dir === '') break
    }
  }
  return ancestors
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`
}

export function depthOf(path: string): number {
  let depth = 0
  for (const char of path) if (char === '/') depth += 1
  return depth
}
