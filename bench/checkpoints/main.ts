// What a checkpoint costs per call, at 100 files and at 50,000 (or --files N, --per-folder N files
// to a folder, 10 by default, about what a repository holds): the same few real
// file changes per call in both workspaces, checkpoints before and after each, timed from the
// first checkpoint to the second being on disk. Calls alternate between the two workspaces. The
// cost must not grow with the repository, so the report is the ratio large/small measured in the
// same run, next to what a full read of the large workspace costs (what every checkpoint would
// cost without the change journal), and what the first read of the next run in the same workspace
// costs (it reuses what this run found, see workspace-fingerprints; the workspaces are made
// seconds before, so files count as settled at once, as a repository's files older than the
// kernel's writeback time do).
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { SnapshotStore } from '../../src-main/node/snapshots/snapshot-store'
import { WorkspaceCheckpoints } from '../../src-main/node/snapshots/workspace-checkpoints'
import { loadNote } from '../foundation/report'

const SETTLED_AT_ONCE = { settledMs: 0 }

/** `files` files, `perFolder` to a folder, ten folders to a package: pkgN/srcM/fileK.ts. */
async function makeWorkspace(root: string, files: number, perFolder: number): Promise<void> {
  await mkdir(root, { recursive: true })
  await writeFile(join(root, '.gitignore'), 'node_modules/\n')
  for (let dir = 0; dir * perFolder < files; dir++) {
    const folder = join(root, `pkg${Math.floor(dir / 10)}`, `src${dir % 10}`)
    await mkdir(folder, { recursive: true })
    const count = Math.min(perFolder, files - dir * perFolder)
    await Promise.all(Array.from({ length: count }, (_, i) => writeFile(join(folder, `file${i}.ts`), `export const value${i} = ${dir * perFolder + i}\n`)))
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
  nextRunOpenMs: number
}

interface Subject {
  files: number
  workspace: string
  store: SnapshotStore
  checkpoints: WorkspaceCheckpoints
  openMs: number
  walls: number[]
  cpus: number[]
}

async function open(scratch: string, files: number, perFolder: number): Promise<Subject> {
  const workspace = join(scratch, `ws-${files}`)
  await makeWorkspace(workspace, files, perFolder)
  const store = new SnapshotStore(join(scratch, `store-${files}`))
  const started = performance.now()
  const checkpoints = await WorkspaceCheckpoints.open(store, `run_${files}`, workspace, SETTLED_AT_ONCE)
  return { files, workspace, store, checkpoints, openMs: performance.now() - started, walls: [], cpus: [] }
}

/** One call: a checkpoint before, what a typical call does (edit, add, delete, edit), a checkpoint after. */
async function call(subject: Subject, index: number, timed: boolean): Promise<void> {
  const { workspace, checkpoints } = subject
  const callId = `call_${index}`
  const cpu = process.cpuUsage()
  const started = performance.now()
  await checkpoints.checkpoint('before', callId, 'shell')
  await writeFile(join(workspace, 'pkg0', 'src0', 'file1.ts'), `export const edited = ${index}\n`)
  await writeFile(join(workspace, 'pkg0', 'src0', `new${index}.ts`), `export const added = ${index}\n`)
  if (index > 0) await unlink(join(workspace, 'pkg0', 'src0', `new${index - 1}.ts`))
  await writeFile(join(workspace, 'README.md'), `call ${index}\n`)
  const summary = await checkpoints.checkpoint('after', callId, 'shell')
  const used = process.cpuUsage(cpu)
  if (timed) {
    subject.walls.push(performance.now() - started)
    subject.cpus.push((used.user + used.system) / 1000)
  }
  if (summary.notes.length > 0) process.stderr.write(`note at ${subject.files} files: ${summary.notes.join('; ')}\n`)
}

async function finish(subject: Subject): Promise<Measured> {
  const started = performance.now()
  await subject.checkpoints.rescan()
  const fullReadMs = performance.now() - started
  await subject.checkpoints.close()
  const nextStarted = performance.now()
  const next = await WorkspaceCheckpoints.open(subject.store, `run_${subject.files}_next`, subject.workspace, SETTLED_AT_ONCE)
  const nextRunOpenMs = performance.now() - nextStarted
  await next.close()
  return { files: subject.files, openMs: subject.openMs, perCallMs: median(subject.walls), perCallCpuMs: median(subject.cpus), fullReadMs, nextRunOpenMs }
}

const { values } = parseArgs({ options: { files: { type: 'string', default: '50000' }, calls: { type: 'string', default: '30' }, 'per-folder': { type: 'string', default: '10' } } })
const large = Number(values.files)
const calls = Number(values.calls)
const perFolder = Number(values['per-folder'])
const scratch = await mkdtemp(join(tmpdir(), 'tether-bench-checkpoints-'))
try {
  process.stdout.write(`node ${process.version}, ${process.platform}-${process.arch}, ${loadNote()}, ${perFolder} files to a folder\n`)
  const subjects = [await open(scratch, 100, perFolder), await open(scratch, large, perFolder)]
  // Calls alternate between the two workspaces, so a busy machine weighs on both alike.
  const warmups = 5
  for (let index = 0; index < warmups + calls; index++) for (const subject of subjects) await call(subject, index, index >= warmups)
  const small = await finish(subjects[0]!)
  const big = await finish(subjects[1]!)
  for (const result of [small, big]) {
    process.stdout.write(
      `${String(result.files).padStart(6)} files: first full read ${result.openMs.toFixed(0)} ms; per call (checkpoint before + 4 file changes + checkpoint after) median ${result.perCallMs.toFixed(2)} ms wall, ${result.perCallCpuMs.toFixed(2)} ms CPU; a full read now ${result.fullReadMs.toFixed(0)} ms; the next run's first read ${result.nextRunOpenMs.toFixed(0)} ms\n`
    )
  }
  const ratio = big.perCallMs / small.perCallMs
  const cpuRatio = big.perCallCpuMs / small.perCallCpuMs
  process.stdout.write(`per-call cost ${large} files / 100 files: ${ratio.toFixed(2)}x wall, ${cpuRatio.toFixed(2)}x CPU (flat means ~1; target < 2)\n`)
  process.stdout.write(`a full read per call at ${large} files would cost ${(big.fullReadMs / big.perCallMs).toFixed(0)}x the journal's per-call cost\n`)
} finally {
  await rm(scratch, { recursive: true, force: true })
}
