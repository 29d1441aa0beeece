// `tether classify` as a person runs it: the real CLI entry, built for plain node, in a child
// process. The command under test is passed as argv elements and only ever parsed, never run.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..', '..', '..')
const run = promisify(execFile)

let bundleDir: string
let cli: string
let home: string
let workspace: string

beforeAll(async () => {
  // Inside the project so the bundle finds node_modules (web-tree-sitter, the bash grammar) as the app build does.
  mkdirSync(join(ROOT, 'out'), { recursive: true })
  bundleDir = mkdtempSync(join(ROOT, 'out', '.classify-test-'))
  await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    build: {
      ssr: join(ROOT, 'src-main/node/cli/main.ts'),
      outDir: bundleDir,
      emptyOutDir: false,
      minify: false,
      target: 'node20',
      rolldownOptions: { output: { format: 'es', entryFileNames: '[name].mjs' } }
    }
  })
  cli = join(bundleDir, 'main.mjs')
  home = realpathSync(mkdtempSync(join(tmpdir(), 'tether-classify-')))
  workspace = join(home, 'repo')
  mkdirSync(join(workspace, '.git'), { recursive: true })
}, 120_000)

afterAll(() => {
  rmSync(bundleDir, { recursive: true, force: true })
  rmSync(home, { recursive: true, force: true })
})

interface Result {
  code: number
  stdout: string
  stderr: string
}

async function classify(...args: string[]): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, TETHER_HOME: join(home, 'tether-data'), HOME: home }
  delete env.NODE_EXTRA_CA_CERTS
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, 'classify', ...args], { cwd: workspace, env })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string }
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr }
  }
}

describe('tether classify', () => {
  it('prints the decision and reasons as JSON', async () => {
    expect(await classify('--json', '--', 'git', 'status')).toEqual({
      code: 0,
      stdout: `${JSON.stringify({ decision: 'allow', reasons: ['read-only: git status'] })}\n`,
      stderr: ''
    })
  })

  it('joins the words after -- into one command line and parses it as bash', async () => {
    const result = await classify('--json', '--', 'ls -la &&', 'npm', 'test')
    expect(JSON.parse(result.stdout)).toEqual({ decision: 'ask', reasons: ['npm test: `npm` is not on the read-only list'] })
  })

  it('says forbid for the destructive floor', async () => {
    const result = await classify('--json', '--', 'git reset --hard')
    expect(JSON.parse(result.stdout)).toEqual({ decision: 'forbid', reasons: ['git reset --hard: `git reset --hard` discards uncommitted work for good'] })
  })

  it('applies the mode', async () => {
    expect(JSON.parse((await classify('--json', '--mode', 'auto-in-sandbox', '--', 'npm test')).stdout).decision).toBe('allow')
    expect(JSON.parse((await classify('--json', '--mode', 'ask-always', '--', 'ls')).stdout).decision).toBe('ask')
  })

  it('judges paths against the given workspace', async () => {
    const result = await classify('--json', '--workspace', workspace, '--', 'rm -rf ..')
    expect(JSON.parse(result.stdout)).toEqual({ decision: 'forbid', reasons: ['rm -rf ..: deletes the home directory recursively'] })
  })

  it('prints a readable verdict without --json', async () => {
    expect(await classify('--', 'npm test')).toEqual({
      code: 0,
      stdout: 'ask\n  - npm test: `npm` is not on the read-only list\n  rule "always" would save: npm test\n',
      stderr: ''
    })
  })

  it('refuses bad usage with exit code 2', async () => {
    expect(await classify('--json')).toMatchObject({ code: 2, stdout: '' })
    expect((await classify('--mode', 'yolo', '--', 'ls')).stderr).toMatch(/unknown mode 'yolo'/)
    expect((await classify('--workspace', join(home, 'missing'), '--', 'ls')).stderr).toMatch(/is not a directory/)
  })
})
