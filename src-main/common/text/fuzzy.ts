// Fuzzy matching of file paths for `@` mentions: the query's characters must appear in order;
// matches that start a path segment or a word, that run on consecutively, or that fall in the
// file name score higher, and shorter paths win ties.

const SEPARATORS = new Set(['/', '.', '-', '_', ' '])

/** A score for `path` against `query` (higher is better), or null when it does not match. */
export function fuzzyScore(query: string, path: string): number | null {
  if (query.length === 0) return 0
  const needle = query.toLowerCase()
  const haystack = path.toLowerCase()
  const nameStart = path.lastIndexOf('/') + 1
  let score = 0
  let from = 0
  let previous = -2
  for (const char of needle) {
    const index = haystack.indexOf(char, from)
    if (index === -1) return null
    if (index === previous + 1) score += 5
    if (index === 0 || SEPARATORS.has(path[index - 1] ?? '')) score += 8
    else if (path[index] !== haystack[index] && path[index - 1] === haystack[index - 1]) score += 4
    if (index >= nameStart) score += 3
    score -= Math.min(index - from, 10) * 0.5
    previous = index
    from = index + 1
  }
  if (haystack.slice(nameStart).startsWith(needle)) score += 20
  return score - path.length * 0.05
}

/** The `limit` best matches of `query` among `paths`, best first. */
export function rankPaths(query: string, paths: readonly string[], limit: number): string[] {
  const scored: { path: string; score: number }[] = []
  for (const path of paths) {
    const score = fuzzyScore(query, path)
    if (score !== null) scored.push({ path, score })
  }
  return scored
    .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path))
    .slice(0, limit)
    .map((entry) => entry.path)
}

/** The `@query` being typed just before `caret`, if any: where it starts (at the `@`) and the query. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(?:^|\s)@([^\s@]*)$/.exec(text.slice(0, caret))
  if (!match) return null
  const query = match[1] ?? ''
  return { start: caret - query.length - 1, query }
}
