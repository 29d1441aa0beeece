// Frame time from a Chromium performance trace: the renderer main thread's work in each 1/60 s
// frame slot while the run streams. Two clocks: `wall` (task time overlapping the slot, which
// includes time the OS gave to other processes) and `cpu` (the thread's own CPU time, spread over
// the task's wall interval), which is what the page itself costs.

export interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  /** Thread (CPU) time of the event, in microseconds. */
  tdur?: number
  pid: number
  tid: number
  args?: { name?: string; data?: { frame?: string } }
}

export const FRAME_MS = 1000 / 60

/** The top-level task event on a thread; its name changed across Chromium versions. */
const TASK_EVENTS = new Set(['RunTask', 'ThreadControllerImpl::RunTask'])

export interface Percentiles {
  p50: number
  p95: number
  p99: number
  max: number
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 }
}

/** The renderer main thread of the page: the CrRendererMain thread that ran the most tasks. */
export function rendererMainThread(events: TraceEvent[]): { pid: number; tid: number } | null {
  const mains = events.filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
  let best: { pid: number; tid: number; tasks: number } | null = null
  for (const main of mains) {
    const tasks = events.filter((event) => event.pid === main.pid && event.tid === main.tid && TASK_EVENTS.has(event.name)).length
    if (!best || tasks > best.tasks) best = { pid: main.pid, tid: main.tid, tasks }
  }
  return best && { pid: best.pid, tid: best.tid }
}

/** Milliseconds of work of `thread` in each frame slot of [startMs, endMs) (trace clock, ms). */
export function busyPerFrame(
  events: TraceEvent[],
  thread: { pid: number; tid: number },
  startMs: number,
  endMs: number,
  clock: 'wall' | 'cpu' = 'wall'
): number[] {
  const count = Math.max(0, Math.ceil((endMs - startMs) / FRAME_MS))
  const slots = new Array<number>(count).fill(0)
  for (const event of events) {
    if (event.pid !== thread.pid || event.tid !== thread.tid || !TASK_EVENTS.has(event.name) || event.ph !== 'X') continue
    const share = clock === 'cpu' && event.dur ? Math.min(1, (event.tdur ?? event.dur) / event.dur) : 1
    const from = Math.max(startMs, event.ts / 1000)
    const to = Math.min(endMs, event.ts / 1000 + (event.dur ?? 0) / 1000)
    if (to <= from) continue
    // Walk slot by slot by index, so floating-point edges can never stall the walk.
    const first = Math.min(count - 1, Math.floor((from - startMs) / FRAME_MS))
    const last = Math.min(count - 1, Math.floor((to - startMs) / FRAME_MS))
    for (let slot = first; slot <= last; slot++) {
      const slotStart = startMs + slot * FRAME_MS
      const overlap = Math.min(to, slotStart + FRAME_MS) - Math.max(from, slotStart)
      if (overlap > 0) slots[slot]! += overlap * share
    }
  }
  return slots
}
