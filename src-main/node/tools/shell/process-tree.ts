// Finding and ending every process of a shell, including the ones that left its session
// (setsid, nohup, double forks): by ancestry for a sandboxed shell, whose PID namespace keeps
// them all under it, and by an environment token for an unsandboxed one.
import { readdirSync, readFileSync } from 'node:fs'

interface ProcessInfo {
  pid: number
  parent: number
  state: string
}

function readProcess(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { pid, parent: Number(fields[1]), state: fields[0] ?? '?' }
  } catch {
    return null
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
}

function alive(info: ProcessInfo | null): boolean {
  return info !== null && info.state !== 'Z' && info.state !== 'X'
}

function isAlive(pid: number): boolean {
  return alive(readProcess(pid))
}

/** `root` and all its living descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const pid of allPids()) {
    const info = readProcess(pid)
    if (!alive(info) || info === null) continue
    const siblings = children.get(info.parent) ?? []
    siblings.push(pid)
    children.set(info.parent, siblings)
  }
  const tree: number[] = []
  const queue = isAlive(root) ? [root] : []
  while (queue.length > 0) {
    const pid = queue.shift() as number
    tree.push(pid)
    queue.push(...(children.get(pid) ?? []))
  }
  return tree
}

/** Living processes whose environment contains `NAME=value` exactly. */
export function processesWithEnvironment(entry: string): number[] {
  const found: number[] = []
  for (const pid of allPids()) {
    if (pid === process.pid) continue
    try {
      const environment = readFileSync(`/proc/${pid}/environ`, 'latin1')
      if (environment.split('\0').includes(entry) && isAlive(pid)) found.push(pid)
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return found
}

export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
}

/** Resolves once none of `pids` is alive, or after `timeoutMs`; returns the survivors. */
export async function waitForExit(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs
  let survivors = pids.filter(isAlive)
  while (survivors.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5))
    survivors = survivors.filter(isAlive)
  }
  return survivors
}
