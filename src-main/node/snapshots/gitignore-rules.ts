// Which workspace paths are "ignored by .gitignore", decided from the .gitignore files alone: no
// git is run, and neither `.git/info/exclude` nor any config is read, so nothing a run writes
// under `.git/` can hide a change. A deeper .gitignore overrides a shallower one, as in git.
// Once a run's first checkpoint is taken, the rules are those of the .gitignore files as the run
// found them (kept in that checkpoint): a .gitignore the run writes, anywhere, hides nothing.
import ignore, { type Ignore } from 'ignore'
import { readEntry, readEntryAt } from './entry-reader'
import { isWithin, joinPath, parentOf } from './entry'
import type { Manifest } from './manifest'
import type { ObjectStore } from './object-store'
import type { WorkspaceDir } from './workspace-dir'

const MAX_GITIGNORE_BYTES = 1024 * 1024

export class GitignoreRules {
  #root: string
  /** Rules of each directory's own .gitignore; null when it has none. */
  #byDir = new Map<string, Ignore | null>()
  /** The run's first checkpoint, whose .gitignore files are the rules; null: the files on disk now. */
  #base: { manifest: Manifest; objects: ObjectStore } | null

  constructor(root: string, base: { manifest: Manifest; objects: ObjectStore } | null = null) {
    this.#root = root
    this.#base = base
  }

  /** Reads (again) the .gitignore of `dir`; call it for each directory before asking about its children. */
  async load(dir: string): Promise<void> {
    this.#set(dir, await this.#read(joinPath(dir, '.gitignore')))
  }

  /**
   * `load` for a folder the caller holds open and has just listed: its .gitignore is read through
   * the open folder, and not looked for at all when the listing had none.
   */
  async loadListed(folder: WorkspaceDir, listedGitignore: boolean): Promise<void> {
    if (this.#base !== null) return this.load(folder.relative)
    const read = listedGitignore ? await readEntryAt(folder, '.gitignore', { maxFileBytes: MAX_GITIGNORE_BYTES }) : null
    this.#set(folder.relative, read?.content ? read.content.toString('utf8') : null)
  }

  #set(dir: string, text: string | null): void {
    this.#byDir.set(dir, text === null ? null : ignore({ allowRelativePaths: true }).add(text))
  }

  async #read(path: string): Promise<string | null> {
    if (this.#base === null) {
      const read = await readEntry(this.#root, path, { maxFileBytes: MAX_GITIGNORE_BYTES })
      return read?.content ? read.content.toString('utf8') : null
    }
    const entry = this.#base.manifest.get(path)
    if (entry?.kind !== 'file' || entry.hash === null || entry.size > MAX_GITIGNORE_BYTES) return null
    return (await this.#base.objects.get(entry.hash)).toString('utf8')
  }

  /** Forgets what was read for `dir` and everything below it. */
  forget(dir: string): void {
    for (const key of this.#byDir.keys()) if (isWithin(key, dir)) this.#byDir.delete(key)
  }

  /** Loads the rules of every ancestor of `path` not read yet. */
  async loadAncestors(path: string): Promise<void> {
    const dirs: string[] = []
    for (let dir = parentOf(path); ; dir = parentOf(dir)) {
      dirs.push(dir)
      if (dir === '') break
    }
    for (const dir of dirs.reverse()) if (!this.#byDir.has(dir)) await this.load(dir)
  }

  /**
   * Ignored itself or inside an ignored directory (git never looks inside those). A .gitignore
   * file itself is always kept, so that the rules it held can be read back later.
   */
  isIgnored(path: string, isDir: boolean): boolean {
    const parts = path.split('/')
    // The folders on the way that have rules, found once: a deep path costs its length, not its depth squared.
    const ruled: [number, Ignore][] = []
    let prefix = ''
    for (let depth = 0; depth < parts.length; depth += 1) {
      const rules = this.#byDir.get(prefix)
      if (rules) ruled.push([depth, rules])
      prefix = depth === 0 ? parts[0]! : `${prefix}/${parts[depth]}`
    }
    if (ruled.length === 0) return false
    for (let depth = 1; depth < parts.length; depth += 1) if (this.#verdict(parts, depth, true, ruled)) return true
    return !(!isDir && parts.at(-1) === '.gitignore') && this.#verdict(parts, parts.length, isDir, ruled)
  }

  /** Whether the first `length` parts, as a folder or not, are ignored by the rules of the folders above them. */
  #verdict(parts: string[], length: number, isDir: boolean, ruled: [number, Ignore][]): boolean {
    let ignored = false
    for (const [depth, rules] of ruled) {
      if (depth >= length) break
      const rest = parts.slice(depth, length).join('/')
      const verdict = rules.test(isDir ? `${rest}/` : rest)
      if (verdict.ignored) ignored = true
      else if (verdict.unignored) ignored = false
    }
    return ignored
  }
}
