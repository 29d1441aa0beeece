// What a checkpoint costs per call, at 100 files and at 50,000 (or --files N): the same few real
// file changes per call in both workspaces, checkpoints before and after each, timed from the
// first file change to the checkpoint being on disk. The cost must not grow with the repository,
// so the report is the ratio large/small measured in the same run, next to what a full read of
// the large workspace costs (what every checkpoint would cost without the change journal).
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { SnapshotStore } from '../../src-main/node/snapshots/snapshot-store'
import { WorkspaceCheckpoints } from '../../src-main/node/snapshots/workspace-checkpoints'
import { loadNote } from '../foundation/report'

const FILES_PER_DIR = 100

async function makeWorkspace(root: string, files: number): Promise<void> {
  await mkdir(root, { recursive: true })
  await writeFile(join(root, '.gitignore'), 'node_modules/\n')
  for (let dir = 0; dir * FILES_PER_DIR < files; dir++) {
    const folder = join(root, `pkg${dir}`, 'src')
    await mkdir(folder, { recursive: true })
    const count = Math.min(FILES_PER_DIR, files - dir * FILES_PER_DIR)
    await Promise.all(Array.from({ length: count }, (_, i) => writeFile(join(folder, `file${i}.ts`), `export const value${i} = ${dir * FILES_PER_DIR + i}\n`)))
  }
  await mkdir(join(root, 'node_modules', 'dep'), { recursive: true })
  await writeFile(join(root, 'node_modules', 'dep', 'index.js'), 'ignored\n')
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

interface Measured {
  files: number
  openMs: number
  perCallMs: number
  perCallCpuMs: number
  fullReadMs: number
}

async function measure(scratch: string, files: number, calls: number): Promise<Measured> {
  const workspace = join(scratch, `ws-${files}`)
  await makeWorkspace(workspace, files)
  const store = new SnapshotStore(join(scratch, `store-${files}`))
  let started = performance.now()
  const checkpoints = await WorkspaceCheckpoints.open(store, `run_${files}`, workspace)
  const openMs = performance.now() - started
  const walls: number[] = []
  const cpus: number[] = []
  try {
    const warmups = 5
    for (let call = 0; call < warmups + calls; call++) {
      const callId = `call_${call}`
      const cpu = process.cpuUsage()
      started = performance.now()
      await checkpoints.checkpoint('before', callId, 'shell')
      // What a typical call does: edit a few files, add one, delete one.
      await writeFile(join(workspace, 'pkg0', 'src', 'file1.ts'), `export const edited = ${call}\n`)
      await writeFile(join(workspace, 'pkg0', 'src', `new${call}.ts`), `export const added = ${call}\n`)
      if (call > 0) await unlink(join(workspace, 'pkg0', 'src', `new${call - 1}.ts`))
      await writeFile(join(workspace, 'README.md'), `call ${call}\n`)
      const summary = await checkpoints.checkpoint('after', callId, 'shell')
      const used = process.cpuUsage(cpu)
      if (call >= warmups) {
        walls.push(performance.now() - started)
        cpus.push((used.user + used.system) / 1000)
      }
      if (summary.notes.length > 0) process.stderr.write(`note at ${files} files: ${summary.notes.join('; ')}\n`)
    }
    started = performance.now()
    await checkpoints.rescan()
    const fullReadMs = performance.now() - started
    return { files, openMs, perCallMs: median(walls), perCallCpuMs: median(cpus), fullReadMs }
  } finally {
    await checkpoints.close()
  }
}

const { values } = parseArgs({ options: { files: { type: 'string', default: '50000' }, calls: { type: 'string', default: '30' } } })
const large = Number(values.files)
const calls = Number(values.calls)
const scratch = await mkdtemp(join(tmpdir(), 'tether-bench-checkpoints-'))
try {
  process.stdout.write(`node ${process.version}, ${process.platform}-${process.arch}, ${loadNote()}\n`)
  const small = await measure(scratch, 100, calls)
  const big = await measure(scratch, large, calls)
  for (const result of [small, big]) {
    process.stdout.write(
      `${String(result.files).padStart(6)} files: first full read ${result.openMs.toFixed(0)} ms; per call (checkpoint before + 4 file changes + checkpoint after) median ${result.perCallMs.toFixed(2)} ms wall, ${result.perCallCpuMs.toFixed(2)} ms CPU; a full read now ${result.fullReadMs.toFixed(0)} ms\n`
    )
  }
  const ratio = big.perCallMs / small.perCallMs
  const cpuRatio = big.perCallCpuMs / small.perCallCpuMs
  process.stdout.write(`per-call cost ${large} files / 100 files: ${ratio.toFixed(2)}x wall, ${cpuRatio.toFixed(2)}x CPU (flat means ~1; target < 2)\n`)
  process.stdout.write(`a full read per call at ${large} files would cost ${(big.fullReadMs / big.perCallMs).toFixed(0)}x the journal's per-call cost\n`)
} finally {
  await rm(scratch, { recursive: true, force: true })
}
