// What starting a program costs the host's event loop, as the host grows: ten `git status` calls
// (each is two git processes: the config check and the command) from a process holding about
// 50, 300 and 800 MB, started from the host itself (how the host ran git before the process
// launcher) and through the launcher, alternating, in the same run. A fork stalls its parent for
// as long as copying the parent's memory map takes, so only the direct starts should grow with the
// host. Reported: the longest stall of a 1 ms timer, the stalls over 5 ms added up, and wall time;
// first, what taking in 64 MB of output costs each way.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { git, initGitRepository } from '../../src-main/node/git/git-runner'
import { launchProgram } from '../../src-main/node/launcher/process-launcher'
import { median } from '../transport/stats'
import type { GitRepository } from '../../src-main/node/git/git-repository'

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '0,250,750' }, calls: { type: 'string', default: '10' }, rounds: { type: 'string', default: '3' } } })
const CALLS = Number(values.calls)
const ROUNDS = Number(values.rounds)

interface Stalls {
  wallMs: number
  longestMs: number
  over5Ms: number
}

async function measured(work: () => Promise<void>): Promise<Stalls> {
  let last = performance.now()
  let longest = 0
  let over5 = 0
  const timer = setInterval(() => {
    const now = performance.now()
    const stall = now - last - 1
    longest = Math.max(longest, stall)
    if (stall > 5) over5 += stall
    last = now
  }, 1)
  const startedAt = performance.now()
  await work()
  const wallMs = performance.now() - startedAt
  clearInterval(timer)
  return { wallMs, longestMs: longest, over5Ms: over5 }
}

/** git started from this process, as the host did before: the same two processes per call. */
function gitDirect(repo: GitRepository, args: string[]): Promise<void> {
  const env = { PATH: '/usr/bin:/bin', HOME: repo.workTree, GIT_DIR: repo.gitDir, GIT_WORK_TREE: repo.workTree, GIT_CONFIG_NOSYSTEM: '1' }
  const once = (argv: string[]): Promise<void> =>
    new Promise((resolve, reject) => {
      const child = spawn('git', argv, { cwd: repo.workTree, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      child.stdout.resume()
      child.stderr.resume()
      child.on('error', reject)
      child.on('close', () => resolve())
    })
  return once(['config', '-z', '--name-only', '--list']).then(() => once(args))
}

/** Wall and host CPU time to take in 64 MB of output, started from the host and through the launcher. */
async function largeOutput(): Promise<string> {
  const bytes = 64 * 1024 * 1024
  const args = ['-c', String(bytes), '/dev/zero']
  const timed = async (take: () => Promise<number>): Promise<{ wallMs: number; cpuMs: number; received: number }> => {
    const cpu = process.cpuUsage()
    const startedAt = performance.now()
    const received = await take()
    const used = process.cpuUsage(cpu)
    return { wallMs: performance.now() - startedAt, cpuMs: (used.user + used.system) / 1000, received }
  }
  const direct = await timed(
    () =>
      new Promise((resolve) => {
        let received = 0
        const child = spawn('/usr/bin/head', args, { stdio: ['ignore', 'pipe', 'ignore'] })
        child.stdout.on('data', (chunk: Buffer) => (received += chunk.length))
        child.on('close', () => resolve(received))
      })
  )
  const launched = await timed(async () => {
    let received = 0
    await launchProgram({ file: '/usr/bin/head', args, cwd: '/', env: {}, onStdout: (chunk) => (received += chunk.length) })
    return received
  })
  if (direct.received !== bytes || launched.received !== bytes) throw new Error(`output lost: ${direct.received} and ${launched.received} of ${bytes} bytes`)
  const show = (label: string, { wallMs, cpuMs }: { wallMs: number; cpuMs: number }): string => `  ${label.padEnd(16)} wall ${wallMs.toFixed(0).padStart(5)} ms, host CPU ${cpuMs.toFixed(0).padStart(5)} ms`
  return [`64 MB of output:`, show('from the host', direct), show('via the launcher', launched), `  launcher / host: wall ${(launched.wallMs / direct.wallMs).toFixed(2)}x, host CPU ${(launched.cpuMs / direct.cpuMs).toFixed(2)}x`].join('\n')
}

const scratch = mkdtempSync(join(tmpdir(), 'tether-launcher-bench-'))
try {
  writeFileSync(join(scratch, 'a.txt'), 'a\n')
  const repo = await initGitRepository(scratch, 'main')
  await git(repo, ['status', '--porcelain'])
  await gitDirect(repo, ['status', '--porcelain'])
  console.log(await largeOutput())
  const ballast: Buffer[] = []
  const rows: string[] = []
  for (const extraMb of values.sizes.split(',').map(Number)) {
    while (ballast.length < extraMb) ballast.push(Buffer.alloc(1 << 20, ballast.length))
    const direct: Stalls[] = []
    const launched: Stalls[] = []
    for (let round = 0; round < ROUNDS; round++) {
      direct.push(await measured(async () => {
        for (let call = 0; call < CALLS; call++) await gitDirect(repo, ['status', '--porcelain'])
      }))
      launched.push(await measured(async () => {
        for (let call = 0; call < CALLS; call++) await git(repo, ['status', '--porcelain'])
      }))
    }
    const rss = process.memoryUsage().rss / 2 ** 20
    const show = (label: string, stalls: Stalls[]): string =>
      `  ${label.padEnd(16)} longest stall ${median(stalls.map((s) => s.longestMs)).toFixed(1).padStart(6)} ms, stalls over 5 ms ${median(stalls.map((s) => s.over5Ms)).toFixed(0).padStart(5)} ms, wall ${median(stalls.map((s) => s.wallMs)).toFixed(0).padStart(5)} ms`
    rows.push(`resident ${rss.toFixed(0)} MB, ${CALLS} git calls (medians of ${ROUNDS} rounds):`)
    rows.push(show('from the host', direct))
    rows.push(show('via the launcher', launched))
    rows.push(`  launcher / host: longest stall ${(median(launched.map((s) => s.longestMs)) / median(direct.map((s) => s.longestMs))).toFixed(2)}x, wall ${(median(launched.map((s) => s.wallMs)) / median(direct.map((s) => s.wallMs))).toFixed(2)}x`)
    console.log(rows.splice(0).join('\n'))
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
