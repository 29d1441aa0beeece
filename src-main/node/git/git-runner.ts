// The one way the host runs git on a workspace. git runs as a child process (of the process
// launcher, so that starting it never stalls the host) with a deadline
// (the whole process group is killed when it passes), bounded output, an environment built from
// nothing (no inherited GIT_* variables, no system config, an empty global config and home of our
// own), the repository named explicitly (GIT_DIR/GIT_WORK_TREE from findGitRepository, so no
// discovery), and every setting that could run a program overridden (git-hardening.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { access, constants, lstat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { absolutePath, launchProgram } from '../launcher/process-launcher'
import { ALLOWED_SUBCOMMANDS, configEnvironment, DIFF_SAFETY_OPTIONS, FIXED_OVERRIDES, overridesFor } from './git-hardening'
import type { GitRepository } from './git-repository'

export const DEFAULT_GIT_TIMEOUT_MS = 20_000
export const DEFAULT_GIT_OUTPUT_BYTES = 64 * 1024 * 1024
const STDERR_BYTES = 64 * 1024

/** Variables a caller may set for one call; everything else in git's environment is Tether's. */
export interface GitCallEnvironment {
  GIT_INDEX_FILE?: string
  GIT_AUTHOR_NAME?: string
  GIT_AUTHOR_EMAIL?: string
  GIT_AUTHOR_DATE?: string
  GIT_COMMITTER_NAME?: string
  GIT_COMMITTER_EMAIL?: string
  GIT_COMMITTER_DATE?: string
}

export interface GitRunOptions {
  env?: GitCallEnvironment
  /** Default 20 s; git and everything it started are killed when it passes. */
  timeoutMs?: number
  /** Default 64 MiB of stdout. */
  maxOutputBytes?: number
  /** Past maxOutputBytes: keep the first bytes and stop git (true), or fail (false, the default). */
  truncate?: boolean
  input?: string | Buffer
  signal?: AbortSignal
  /** Exit codes that are answers rather than failures (e.g. 1 for `diff --quiet`); 0 always is. */
  acceptExitCodes?: readonly number[]
}

export interface GitOutput {
  stdout: Buffer
  stderr: string
  exitCode: number
  truncated: boolean
}

export class GitError extends Error {
  readonly exitCode: number | null

  constructor(message: string, exitCode: number | null = null) {
    super(message)
    this.exitCode = exitCode
  }
}

export class GitTimeoutError extends GitError {}

let controlledHome: string | null = null

/** An empty home and global config of Tether's own, made once per process. */
function gitHome(): string {
  if (controlledHome !== null) return controlledHome
  const home = mkdtempSync(join(tmpdir(), 'tether-git-'))
  writeFileSync(join(home, 'gitconfig'), '', { mode: 0o600 })
  process.once('exit', () => rmSync(home, { recursive: true, force: true }))
  controlledHome = home
  return home
}

let gitBinary: Promise<string> | null = null

function findGit(): Promise<string> {
  gitBinary ??= (async () => {
    for (const dir of absolutePath().split(delimiter)) {
      const candidate = join(dir, 'git')
      try {
        await access(candidate, constants.X_OK)
        return candidate
      } catch {
        // Not in this directory.
      }
    }
    throw new GitError('git is not installed (no executable "git" on PATH)')
  })()
  return gitBinary
}

function baseEnvironment(): Record<string, string> {
  const home = gitHome()
  return {
    PATH: absolutePath(),
    HOME: home,
    XDG_CONFIG_HOME: home,
    LC_ALL: 'C',
    LANG: 'C',
    ...(process.env.TZ === undefined ? {} : { TZ: process.env.TZ }),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(home, 'gitconfig'),
    GIT_ATTR_NOSYSTEM: '1',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ALLOW_PROTOCOL: 'none',
    GIT_PROTOCOL_FROM_USER: '0',
    GIT_EDITOR: ':',
    GIT_SEQUENCE_EDITOR: ':',
    GIT_PAGER: 'cat',
    PAGER: 'cat'
  }
}

function repositoryEnvironment(repo: GitRepository): Record<string, string> {
  return { GIT_DIR: repo.gitDir, GIT_WORK_TREE: repo.workTree }
}

interface SpawnRequest {
  cwd: string
  args: string[]
  env: Record<string, string>
  options: GitRunOptions
}

/** Runs git through the process launcher (its own process group, killed whole when stopped and once it has exited). */
function spawnGit(file: string, request: SpawnRequest): Promise<GitOutput> {
  const { options } = request
  const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS
  const maxOutput = options.maxOutputBytes ?? DEFAULT_GIT_OUTPUT_BYTES
  const command = `git ${request.args.find((arg) => !arg.startsWith('-')) ?? ''}`.trim()
  const chunks: Buffer[] = []
  let outputBytes = 0
  let truncated = false
  let stderr = ''
  let started = false
  let ended: 'timeout' | 'overflow' | 'aborted' | null = null
  const stopper = new AbortController()
  const stop = (why: 'overflow' | 'aborted'): void => {
    ended ??= why
    stopper.abort()
  }
  const onAbort = (): void => stop('aborted')
  if (options.signal?.aborted) onAbort()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const exited = launchProgram({
    file,
    args: request.args,
    cwd: request.cwd,
    env: request.env,
    input: options.input,
    // One byte past the cap tells the cap was passed.
    maxStdoutBytes: maxOutput + 1,
    maxStderrBytes: STDERR_BYTES,
    signal: stopper.signal,
    timeoutMs,
    onTimeout: () => {
      ended ??= 'timeout'
    },
    onStarted: () => {
      started = true
    },
    onStdout: (chunk) => {
      if (ended !== null) return
      const room = maxOutput - outputBytes
      if (chunk.length > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room))
        outputBytes = maxOutput
        truncated = true
        stop('overflow')
        return
      }
      chunks.push(chunk)
      outputBytes += chunk.length
    },
    onStderr: (chunk) => {
      if (stderr.length < STDERR_BYTES) stderr += chunk.toString('utf8').slice(0, STDERR_BYTES - stderr.length)
    }
  }).finally(() => {
    options.signal?.removeEventListener('abort', onAbort)
  })
  const stoppedEarly = (): GitError | null => {
    if (ended === 'timeout') return new GitTimeoutError(`${command} did not finish within ${timeoutMs} ms and was stopped`)
    if (ended === 'aborted') return new GitError(`${command} was interrupted`)
    if (ended === 'overflow' && !options.truncate) return new GitError(`${command} printed more than ${maxOutput} bytes and was stopped`)
    return null
  }
  // Output cut at the cap is the answer when the caller asked for that, however git then ended.
  const truncatedOutput = (): GitOutput | null => (ended === 'overflow' && options.truncate ? { stdout: Buffer.concat(chunks), stderr, exitCode: 0, truncated } : null)
  return exited.then(
    ({ code }) => {
      const early = stoppedEarly()
      if (early) throw early
      const cut = truncatedOutput()
      if (cut) return cut
      const exitCode = code ?? -1
      if (exitCode !== 0 && !(options.acceptExitCodes ?? []).includes(exitCode)) throw new GitError(`${command}: ${stderr.trim() || `exit code ${exitCode}`}`, exitCode)
      return { stdout: Buffer.concat(chunks), stderr, exitCode, truncated }
    },
    (error: unknown) => {
      const cut = truncatedOutput()
      if (cut) return cut
      throw stoppedEarly() ?? new GitError(`${started ? `${command} did not finish` : 'git could not start'}: ${(error as Error).message}`)
    }
  )
}

/** The config keys git would read for this repository (repository, common dir, worktree config). */
async function configKeys(file: string, repo: GitRepository, base: Record<string, string>, options: GitRunOptions): Promise<string[]> {
  const env = { ...base, ...repositoryEnvironment(repo), ...configEnvironment(FIXED_OVERRIDES) }
  const { stdout } = await spawnGit(file, {
    cwd: repo.workTree,
    args: ['--no-pager', 'config', '-z', '--name-only', '--list'],
    env,
    options: { timeoutMs: options.timeoutMs, maxOutputBytes: 4 * 1024 * 1024, signal: options.signal }
  })
  return stdout
    .toString('utf8')
    .split('\0')
    .filter((key) => key.length > 0)
}

/** Runs `git <args>` on `repo` with the hardening above. `args[0]` must be an allowed subcommand. */
export async function runGit(repo: GitRepository, args: readonly string[], options: GitRunOptions = {}): Promise<GitOutput> {
  const [subcommand, ...rest] = args
  if (subcommand === undefined || !ALLOWED_SUBCOMMANDS.has(subcommand)) {
    throw new GitError(`git ${subcommand ?? ''} is not a command the host runs on a repository`.trim())
  }
  const file = await findGit()
  const base = baseEnvironment()
  const overrides = [...FIXED_OVERRIDES, ...overridesFor(await configKeys(file, repo, base, options))]
  const env = { ...base, ...repositoryEnvironment(repo), ...configEnvironment(overrides), ...(options.env ?? {}) }
  const finalArgs = ['--no-pager', '--no-replace-objects', subcommand, ...(DIFF_SAFETY_OPTIONS.get(subcommand) ?? []), ...rest]
  return spawnGit(file, { cwd: repo.workTree, args: finalArgs, env, options })
}

/** `runGit`'s standard output as text. */
export async function git(repo: GitRepository, args: readonly string[], options: GitRunOptions = {}): Promise<string> {
  return (await runGit(repo, args, options)).stdout.toString('utf8')
}

/** Makes `workTree` a repository (no templates, so no sample hooks) and returns it. */
export async function initGitRepository(workTree: string, initialBranch: string, options: GitRunOptions = {}): Promise<GitRepository> {
  const file = await findGit()
  const gitDir = join(workTree, '.git')
  const env = { ...baseEnvironment(), GIT_DIR: gitDir, GIT_WORK_TREE: workTree, ...configEnvironment(FIXED_OVERRIDES) }
  await spawnGit(file, { cwd: workTree, args: ['init', '-q', '--template=', '-b', initialBranch], env, options })
  return { workTree, gitDir, commonDir: gitDir }
}

/** The person's name and email as a commit names them. */
export interface PersonIdentity {
  name: string
  email: string
}

/** A config file changed more recently than this is read again each time. */
const IDENTITY_SETTLED_MS = 2_000
/** The last identity read, and the config file's identity when it was read: every run asks for it as it starts. */
let lastIdentity: { file: string; identity: Promise<PersonIdentity | null> } | null = null

/**
 * The person's own name and email from their global git config (never a repository's), or null.
 * Read again only when the config file changed (another file, or its inode, size, mtime or ctime).
 */
export async function personGitIdentity(home: string): Promise<PersonIdentity | null> {
  const candidates = [join(home, '.gitconfig'), join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'git', 'config')]
  const found = await Promise.all(candidates.map((path) => lstat(path, { bigint: true }).catch(() => null)))
  const index = found.findIndex((stats) => stats?.isFile() === true)
  const config = candidates[index]
  const stats = found[index]
  if (config === undefined || !stats) return null
  const file = [config, stats.dev, stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs].join('\0')
  if (lastIdentity?.file === file) return lastIdentity.identity
  // A git that failed says nothing about the file, so the next run asks again. Nor is a file
  // changed within the last seconds taken as settled: a rewrite of the same size within one tick
  // of the clock (a second, on some file systems) would keep its times. Its ctime, which no one
  // can set back, tells when it last changed.
  const settled = Date.now() - Number(stats.ctimeMs) > IDENTITY_SETTLED_MS
  const read: { file: string; identity: Promise<PersonIdentity | null> } = {
    file,
    identity: readPersonIdentity(config).catch(() => {
      if (lastIdentity === read) lastIdentity = null
      return null
    })
  }
  if (settled) lastIdentity = read
  return read.identity
}

/** One git call for both keys; the last value of each wins, as `git config --get` has it. */
async function readPersonIdentity(config: string): Promise<PersonIdentity | null> {
  const env = { ...baseEnvironment(), GIT_CONFIG_GLOBAL: config, GIT_DIR: join(gitHome(), 'no-repository') }
  const { stdout } = await spawnGit(await findGit(), {
    cwd: gitHome(),
    args: ['config', '--global', '--no-includes', '-z', '--get-regexp', '^user\\.(name|email)$'],
    env,
    // Exit code 1: neither key is set.
    options: { timeoutMs: 5_000, maxOutputBytes: 64 * 1024, acceptExitCodes: [1] }
  })
  const values = new Map<string, string>()
  for (const entry of stdout.toString('utf8').split('\0')) {
    const newline = entry.indexOf('\n')
    if (newline > 0) values.set(entry.slice(0, newline), entry.slice(newline + 1).trim())
  }
  const usable = (value: string | undefined): string | null => (value !== undefined && value.length > 0 && !/[\0-\x1f]/.test(value) ? value : null)
  const name = usable(values.get('user.name'))
  const email = usable(values.get('user.email'))
  return name !== null && email !== null ? { name, email } : null
}
