// `tether classify` as a person runs it: the real CLI entry, built for plain node, in a child
// process. The command under test is passed as argv elements and only ever parsed, never run.
import { execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
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
  // Not under /tmp (where the project itself may be checked out): there a sibling of the
  // workspace counts as scratch space.
  mkdirSync('/var/tmp', { recursive: true })
  home = realpathSync(mkdtempSync('/var/tmp/tether-classify-home-'))
  workspace = join(home, 'repo')
  mkdirSync(join(workspace, '.git', 'hooks'), { recursive: true })
  mkdirSync(join(workspace, 'src'), { recursive: true })
  mkdirSync(join(workspace, 'build'), { recursive: true })
  writeFileSync(join(workspace, 'README.md'), '# repo\n')
  writeFileSync(join(workspace, 'src', 'index.ts'), 'export const answer = 42\n')
  writeFileSync(join(workspace, 'package.json'), '{"name":"repo","version":"1.0.0"}\n')
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

function cliEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TETHER_HOME: join(home, 'tether-data'), HOME: home }
  delete env.NODE_EXTRA_CA_CERTS
  return env
}

/** `tether classify --lines` fed `input` on standard input. */
function classifyInput(input: string, ...args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'classify', '--lines', ...args], { cwd: workspace, env: cliEnvironment() })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(input)
  })
}

async function classify(...args: string[]): Promise<Result> {
  const env = cliEnvironment()
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

  it('shows control, bidi and invisible characters escaped, in reasons and as JSON', async () => {
    const readable = await classify('--', 'touch "\u001b[31m\u0007\u202eok\u200b"')
    expect(readable.stdout).toContain('\\x1b[31m\\x07\\u202eok\\u200b')
    expect(readable.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u202e]/)
    const json = await classify('--json', '--mode', 'auto-in-sandbox', '--', 'ls \u202e')
    expect(json.stdout).not.toMatch(/\u202e/)
    expect(JSON.parse(json.stdout).decision).toBe('ask')
  })

  it('reads commands as JSON lines and answers one line each', async () => {
    const result = await classifyInput(`${JSON.stringify('git status')}\n\n${JSON.stringify('cat <<EOF\nhi\nEOF')}\n${JSON.stringify('git reset --hard')}\n`)
    expect(result.stdout.trim().split('\n').map((line) => JSON.parse(line).decision)).toEqual(['allow', 'allow', 'forbid'])
    expect(await classifyInput('git status\n')).toMatchObject({ code: 2, stdout: '' })
    expect((await classifyInput('"ls"\n', '--', 'ls')).stderr).toMatch(/not after --/)
  })

  it('judges the whole safe and unsafe corpora as the policy tests do, in every mode', async () => {
    const corpus = join(ROOT, 'src-main', 'node', 'policy', 'corpus')
    const safe = Object.values((JSON.parse(readFileSync(join(corpus, 'safe-commands.json'), 'utf8')) as { families: Record<string, string[]> }).families).flat()
    const unsafe = Object.values(
      (JSON.parse(readFileSync(join(corpus, 'unsafe-commands.json'), 'utf8')) as { families: Record<string, { expect: string; commands: string[] }> }).families
    ).flatMap(({ expect: expected, commands }) => commands.map((command) => ({ command, expected })))
    const expand = (command: string): string => command.replaceAll('@WS@', workspace).replaceAll('@HOME@', home).replaceAll('@DATA@', join(home, 'tether-data'))
    const lines = (commands: string[]): string => commands.map((command) => JSON.stringify(expand(command))).join('\n')
    const summary: string[] = []
    for (const mode of ['ask-risky', 'auto-in-sandbox', 'ask-always', 'read-only']) {
      const safeDecisions = (await classifyInput(lines(safe), '--mode', mode)).stdout.trim().split('\n').map((line) => JSON.parse(line).decision as string)
      const unsafeDecisions = (await classifyInput(lines(unsafe.map(({ command }) => command)), '--mode', mode)).stdout.trim().split('\n').map((line) => JSON.parse(line).decision as string)
      expect(safeDecisions).toHaveLength(safe.length)
      expect(unsafeDecisions).toHaveLength(unsafe.length)
      const allowed = safeDecisions.filter((decision) => decision === 'allow').length
      const unsafeAllowed = unsafe.filter((_, index) => unsafeDecisions[index] === 'allow').map(({ command }) => command)
      const offFloor = unsafe.filter(({ expected }, index) => expected === 'forbid' && unsafeDecisions[index] !== 'forbid').map(({ command }) => command)
      summary.push(`${mode}: safe allowed ${((100 * allowed) / safe.length).toFixed(1)}% of ${safe.length}; unsafe allowed ${unsafeAllowed.length} of ${unsafe.length}; floor missed ${offFloor.length}`)
      expect({ mode, unsafeAllowed, offFloor }).toEqual({ mode, unsafeAllowed: [], offFloor: [] })
      if (mode === 'ask-risky' || mode === 'auto-in-sandbox') expect(allowed / safe.length).toBeGreaterThanOrEqual(0.95)
    }
    console.log(`tether classify --lines over the corpora:\n  ${summary.join('\n  ')}`)
  }, 120_000)
})
