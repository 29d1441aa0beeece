// The machine a result was measured on, printed beside every result and in the chart.
import { readFileSync } from 'node:fs'
import { cpus, loadavg, platform, release, totalmem } from 'node:os'

export interface MachineInfo {
  cpu: string
  cores: number
  memoryGb: number
  node: string
  os: string
  /** 1-minute load average when the benchmark started and ended: a busy machine inflates every number. */
  loadAverage: { start: number; end: number | null }
}

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1]
    if (pretty) return `${pretty}, ${platform()} ${release()}`
  } catch {
    // Not Linux, or no os-release: the kernel name is enough.
  }
  return `${platform()} ${release()}`
}

export function machineInfo(): MachineInfo {
  const processors = cpus()
  return {
    cpu: processors[0]?.model.trim() ?? 'unknown CPU',
    cores: processors.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: osName(),
    loadAverage: { start: loadavg()[0] ?? 0, end: null }
  }
}

export function withEndLoad(machine: MachineInfo): MachineInfo {
  return { ...machine, loadAverage: { ...machine.loadAverage, end: loadavg()[0] ?? 0 } }
}

export function describeMachine(machine: MachineInfo): string {
  const load = `load ${machine.loadAverage.start.toFixed(1)}${machine.loadAverage.end === null ? '' : `-${machine.loadAverage.end.toFixed(1)}`}`
  return `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.os}, ${load}`
}
