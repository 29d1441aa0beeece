// Numbers as people read them.
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–'
  if (ms < 1000) return `${Math.round(ms)} ms`
  const seconds = ms / 1000
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`
  const minutes = Math.floor(seconds / 60)
  const rest = Math.round(seconds % 60)
  if (minutes < 60) return `${minutes} min ${rest} s`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

export function bytes(count: number | null | undefined): string {
  if (count === null || count === undefined) return '–'
  if (count < 1024) return `${count} B`
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KB`
  return `${(count / 1024 / 1024).toFixed(1)} MB`
}

// Formatters are costly to create; one of each serves every call.
const TIME_OF_DAY = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const DAY = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })

export function relativeDay(ms: number | null | undefined, now = Date.now()): string {
  if (!ms) return ''
  const date = new Date(ms)
  return date.toDateString() === new Date(now).toDateString() ? TIME_OF_DAY.format(date) : DAY.format(date)
}

/** The time of day of a moment, as a clock shows it. */
export function timeOfDay(ms: number): string {
  return TIME_OF_DAY.format(new Date(ms))
}

/** What the person is told about a log that could not be read in full; null for a healthy log. */
export function logProblemOf(log: { problems: { line: number; reason: string }[]; problemCount: number; tornTailBytes: number } | null): string | null {
  if (!log || (log.problemCount === 0 && log.tornTailBytes === 0)) return null
  const parts: string[] = []
  const first = log.problems[0]
  if (first) {
    const more = log.problemCount > 1 ? ` and ${log.problemCount - 1} more` : ''
    parts.push(`${log.problemCount === 1 ? 'one line' : `${log.problemCount} lines`} could not be read (line ${first.line}: ${first.reason}${more})`)
  }
  if (log.tornTailBytes > 0) parts.push(`its last record is incomplete (${bytes(log.tornTailBytes)} not shown)`)
  return `This run's log is damaged: ${parts.join('; ')}. What is shown is what could be read.`
}
