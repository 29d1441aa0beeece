import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { gatherThroughput, RESULTS_DIR_VARIABLE, runSuite, THROUGHPUT_SUITES } from './gather'

const roots: string[] = []
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

function project(scripts: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tether-gather-'))
  roots.push(root)
  for (const [path, source] of Object.entries(scripts)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), source)
  }
  return root
}

const suite = (name: (typeof THROUGHPUT_SUITES)[number]['name']) => THROUGHPUT_SUITES.find((entry) => entry.name === name)!

describe('runSuite', () => {
  it('includes a script that prints JSON as data and any other output as text', async () => {
    const root = project({
      'bench/foundation/run.mjs': 'console.log(JSON.stringify({ reducer: { eventsPerSecond: 1000 } }))',
      'bench/tools/run.js': 'console.log("shell p50 4.1 ms")\nconsole.log("script p50 1.2 ms")'
    })
    expect(await runSuite(root, suite('foundation'), 10_000)).toEqual({
      name: 'foundation',
      covers: 'reducer, replay, log append',
      status: 'ok',
      command: 'node bench/foundation/run.mjs',
      durationMs: expect.any(Number),
      exitCode: 0,
      json: { reducer: { eventsPerSecond: 1000 } },
      text: null,
      stderr: null
    })
    expect(await runSuite(root, suite('tools'), 10_000)).toMatchObject({ status: 'ok', command: 'node bench/tools/run.js', json: null, text: 'shell p50 4.1 ms\nscript p50 1.2 ms' })
  })

  it('reports a failing or hanging script as failed with the end of its stderr', async () => {
    const root = project({
      'bench/policy/run.mjs': 'console.log("partial")\nconsole.error("cannot load the parser")\nprocess.exit(3)',
      'bench/ui/run.mjs': 'setTimeout(() => {}, 60_000)'
    })
    expect(await runSuite(root, suite('policy'), 10_000)).toMatchObject({ status: 'failed', exitCode: 3, text: 'partial', stderr: 'cannot load the parser' })
    expect(await runSuite(root, suite('ui'), 300)).toMatchObject({ status: 'failed', exitCode: null, stderr: 'stopped after 300 ms' })
  })

  it('reports a missing folder or a folder without a runnable script as missing', async () => {
    const root = project({ 'bench/ui/frame-time.bench.ts': 'export {}' })
    const lines: string[] = []
    const results = await gatherThroughput(root, (line) => lines.push(line), { save: true })
    expect(results.map((result) => [result.name, result.status, result.status === 'missing' ? result.reason : null])).toEqual([
      ['foundation', 'missing', 'no bench/foundation folder'],
      ['tools', 'missing', 'no bench/tools folder'],
      ['policy', 'missing', 'no bench/policy folder'],
      ['ui', 'missing', 'bench/ui has no run.mjs or run.js']
    ])
    expect(lines).toHaveLength(8)
  })

  it('gives the suites a folder of their own for their result files when nothing is saved, and removes it', async () => {
    const script = [
      "import { writeFileSync } from 'node:fs'",
      `const dir = process.env.${RESULTS_DIR_VARIABLE}`,
      "if (dir) writeFileSync(dir + '/frame-time.json', '{}')",
      'console.log(JSON.stringify({ dir: dir ?? null }))'
    ].join('\n')
    const root = project({ 'bench/ui/run.mjs': script })
    const uiOutput = async (save: boolean): Promise<unknown> => {
      const ui = (await gatherThroughput(root, () => undefined, { save })).find((result) => result.name === 'ui')
      return ui?.status === 'ok' ? ui.json : ui
    }
    expect(await uiOutput(true)).toEqual({ dir: null })
    const unsaved = (await uiOutput(false)) as { dir: string }
    expect(unsaved.dir).toMatch(/tether-bench-unsaved-/)
    expect(existsSync(unsaved.dir)).toBe(false)
  })
})
