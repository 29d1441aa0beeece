// Measuring and printing for the foundation benchmarks: numbers, the target, and their ratio.
import { availableParallelism, loadavg } from 'node:os'

export interface Timing {
  /** Wall-clock milliseconds. */
  best: number
  median: number
  /** CPU milliseconds (user + system) of the fastest run: on a busy machine, closer to what the code costs. */
  bestCpu: number
}

/** Runs `work` `runs` times after `warmups` untimed runs. */
export async function time(work: () => unknown, runs: number, warmups = 2): Promise<Timing> {
  for (let i = 0; i < warmups; i++) await work()
  const samples: { wall: number; cpu: number }[] = []
  for (let i = 0; i < runs; i++) {
    const cpuStart = process.cpuUsage()
    const start = performance.now()
    await work()
    const wall = performance.now() - start
    const cpu = process.cpuUsage(cpuStart)
    samples.push({ wall, cpu: (cpu.user + cpu.system) / 1000 })
  }
  const walls = samples.map((sample) => sample.wall).sort((a, b) => a - b)
  return { best: walls[0]!, median: walls[Math.floor(walls.length / 2)]!, bestCpu: Math.min(...samples.map((sample) => sample.cpu)) }
}

/** The machine's load, printed with the results: benchmarks on a busy machine read low. */
export function loadNote(): string {
  const [one] = loadavg()
  return `load average ${one?.toFixed(1)} on ${availableParallelism()} cores`
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}

/** One result line: the measured value against its target, with the ratio (> 1 means the target is met). */
export function report(name: string, value: string, ratio: number, target: string, detail: string): void {
  const verdict = ratio >= 1 ? 'meets' : 'MISSES'
  process.stdout.write(`${name.padEnd(34)} ${value.padStart(18)}   ${verdict} ${target} (${ratio.toFixed(2)}x)   ${detail}\n`)
}
