// Runs the built `tether` CLI (bin/tether.js -> out/main/cli.js) as a person would. `npm test`
// builds before it tests. Without a build, the first test builds; a build older than the sources
// of the replay and runs commands fails the test with what to run, rather than rebuilding under
// other test files that are running built entries at that moment.
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readdir, rmdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

const ROOT = join(import.meta.dirname, '..', '..')
const BUILT_CLI = join(ROOT, 'out', 'main', 'cli.js')
const LOCK = join(ROOT, 'out', '.test-build-lock')
const SOURCES = ['src-main/common', 'src-main/node/store', 'src-main/node/cli']

async function newestSource(folder: string): Promise<number> {
  let newest = 0
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, await newestSource(path))
    else if (/\.(ts|svelte)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, (await stat(path)).mtimeMs)
  }
  return newest
}

async function builtAt(): Promise<number | null> {
  return (await stat(BUILT_CLI).catch(() => null))?.mtimeMs ?? null
}

async function newestSourceChange(): Promise<number> {
  return Math.max(...(await Promise.all(SOURCES.map((folder) => newestSource(join(ROOT, folder))))))
}

/** One build at a time across test workers: `mkdir` is atomic. */
async function withBuildLock(action: () => Promise<void>): Promise<void> {
  await mkdir(join(ROOT, 'out'), { recursive: true })
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      await mkdir(LOCK)
      break
    } catch {
      if (Date.now() > deadline) throw new Error(`${LOCK} is held for over two minutes; remove it if no build is running`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  try {
    await action()
  } finally {
    await rmdir(LOCK)
  }
}

export async function ensureBuiltCli(): Promise<void> {
  if ((await builtAt()) === null) {
    await withBuildLock(async () => {
      if ((await builtAt()) !== null) return
      await promisify(execFile)('npx', ['electron-vite', 'build'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })
    })
  }
  const built = (await builtAt()) ?? 0
  if (built < (await newestSourceChange())) {
    throw new Error(`${BUILT_CLI} is older than its sources: run \`npx electron-vite build\` (npm test builds first)`)
  }
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** The parent's environment, minus a CA bundle that does not exist (Node warns about it on stderr at start). */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra }
  if (env.NODE_EXTRA_CA_CERTS && !existsSync(env.NODE_EXTRA_CA_CERTS)) delete env.NODE_EXTRA_CA_CERTS
  return env
}

export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'tether.js'), ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
