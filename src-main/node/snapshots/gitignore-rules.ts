// Which workspace paths are "ignored by .gitignore", decided from the .gitignore files alone: no
// git is run, and neither `.git/info/exclude` nor any config is read, so nothing a run writes
// under `.git/` can hide a change. A deeper .gitignore overrides a shallower one, as in git.
import ignore, { type Ignore } from 'ignore'
import { join } from 'node:path'
import { readEntry } from './read-entry'
import { isWithin, parentOf } from './entry'

const MAX_GITIGNORE_BYTES = 1024 * 1024

export class GitignoreRules {
  #root: string
  /** Rules of each directory's own .gitignore; null when it has none. */
  #byDir = new Map<string, Ignore | null>()

  constructor(root: string) {
    this.#root = root
  }

  /** Reads (again) the .gitignore of `dir`; call it for each directory before asking about its children. */
  async load(dir: string): Promise<void> {
    const read = await readEntry(join(this.#root, dir, '.gitignore'), { maxFileBytes: MAX_GITIGNORE_BYTES })
    this.#byDir.set(dir, read?.content ? ignore({ allowRelativePaths: true }).add(read.content.toString('utf8')) : null)
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

  /** Ignored itself or inside an ignored directory (git never looks inside those). */
  isIgnored(path: string, isDir: boolean): boolean {
    const parts = path.split('/')
    for (let depth = 1; depth < parts.length; depth += 1) if (this.#verdict(parts.slice(0, depth), true)) return true
    return this.#verdict(parts, isDir)
  }

  #verdict(parts: string[], isDir: boolean): boolean {
    let ignored = false
    for (let depth = 0; depth < parts.length; depth += 1) {
      const rules = this.#byDir.get(parts.slice(0, depth).join('/'))
      if (!rules) continue
      const rest = parts.slice(depth).join('/')
      const verdict = rules.test(isDir ? `${rest}/` : rest)
      if (verdict.ignored) ignored = true
      else if (verdict.unignored) ignored = false
    }
    return ignored
  }
}
