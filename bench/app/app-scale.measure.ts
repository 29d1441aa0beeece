// How the app's per-item costs grow from n to 10n, measured in one run: search in run history
// (cold, when every log is read and folded once, and warm, from the texts kept per log), the
// workspace file list behind `@` mentions, and the fuzzy ranking of those files. A ratio near 1
// means the cost per item stays flat; it is printed, not asserted (the machine's speed varies).
//   npx vitest run --config bench/app/measure.config.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { it } from 'vitest'
import { RunSearch } from '../../src-main/node/host/run-search'
import { listWorkspaceFiles } from '../../src-main/node/host/workspace-file-list'
import { DataDir } from '../../src-main/node/store/data-dir'
import { RunLogWriter } from '../../src-main/node/store/run-log-writer'
import { sampleRun } from '../../src-main/test-support/sample-run'
import { rankPaths } from '../../src-main/common/text/fuzzy'

async function time(action: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now()
  await action()
  return performance.now() - start
}

function line(label: string, n: number, small: number, large: number): string {
  const perSmall = small / n
  const perLarge = large / (10 * n)
  return `${label.padEnd(34)} n=${String(n).padStart(6)}: ${(perSmall * 1000).toFixed(1)} µs/item   10n: ${(perLarge * 1000).toFixed(1)} µs/item   ratio ${(perLarge / perSmall).toFixed(2)}`
}

async function writeRuns(dataDir: DataDir, count: number): Promise<{ id: string; path: string }[]> {
  mkdirSync(dataDir.runs, { recursive: true })
  const runs: { id: string; path: string }[] = []
  for (let index = 0; index < count; index++) {
    const id = `run_20260101T000000Z_${index.toString(16).padStart(6, '0')}`
    const writer = await RunLogWriter.create(dataDir.runLog(id))
    for (const body of sampleRun()) writer.append(body.type === 'user.input' && body.kind === 'task' ? { ...body, text: `Task number ${index}: fix the tests` } : body)
    await writer.close()
    runs.push({ id, path: dataDir.runLog(id) })
  }
  return runs
}

function writeFiles(root: string, count: number): void {
  for (let index = 0; index < count; index++) {
    const dir = join(root, `pkg${index % 50}`, `dir${index % 13}`)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, `module${index}.ts`), '')
  }
}

it('prints per-item costs at n and 10n', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tether-app-scale-'))
  const lines: string[] = []
  try {
    const n = 100
    const small = await writeRuns(new DataDir(join(root, 'small')), n)
    const large = await writeRuns(new DataDir(join(root, 'large')), 10 * n)
    const searchSmall = new RunSearch()
    const searchLarge = new RunSearch()
    lines.push(line('run search, cold (read + fold)', n, await time(() => searchSmall.search('no such words', small, 10_000)), await time(() => searchLarge.search('no such words', large, 10_000))))
    lines.push(line('run search, warm', n, await time(() => searchSmall.search('other words', small, 10_000)), await time(() => searchLarge.search('other words', large, 10_000))))

    const files = 2_000
    writeFiles(join(root, 'ws-small'), files)
    writeFiles(join(root, 'ws-large'), 10 * files)
    const options = { ripgrepPath: '/usr/bin/rg', maxFiles: 100_000, maxBytes: 64 * 1024 * 1024, timeoutMs: 60_000 }
    let listed: string[] = []
    const listSmall = await time(async () => (listed = (await listWorkspaceFiles(join(root, 'ws-small'), options)).files))
    const smallPaths = listed
    const listLarge = await time(async () => (listed = (await listWorkspaceFiles(join(root, 'ws-large'), options)).files))
    lines.push(line('workspace file list (rg --files)', files, listSmall, listLarge))
    lines.push(line('fuzzy ranking of the files', files, await time(() => rankPaths('pkg7mod12', smallPaths, 8)), await time(() => rankPaths('pkg7mod12', listed, 8))))
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
  console.log(`\n${lines.join('\n')}\n`)
})
