// The files of a workspace the person can mention with `@` in a task. ripgrep lists them
// (`--files`: names only, nothing is opened or run; .gitignore, .ignore and .git/info/exclude are
// respected; symlinks, FIFOs and other special files are left out). The workspace is hostile
// input, so the listing is bounded in count, bytes and time (a FIFO where an ignore file belongs
// costs it the ignore files, not the answer), and a name that is not plain printable text (a line
// break, a control or direction character) is dropped, not shown.
import { launchProgram } from '../launcher/process-launcher'

export interface FileListOptions {
  ripgrepPath: string
  maxFiles: number
  maxBytes: number
  timeoutMs: number
}

export const DEFAULT_FILE_LIST: FileListOptions = { ripgrepPath: '/usr/bin/rg', maxFiles: 20_000, maxBytes: 4 * 1024 * 1024, timeoutMs: 5_000 }

export interface FileList {
  /** Workspace-relative paths with `/`, sorted. */
  files: string[]
  /** The listing stopped at a bound: more files exist. */
  truncated: boolean
}

const MAX_PATH_CHARS = 1024
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufffd]/

function showable(path: string): boolean {
  return path.length > 0 && path.length <= MAX_PATH_CHARS && !UNSHOWABLE.test(path) && !path.startsWith('/') && !path.split('/').includes('..')
}

/** Share of the time bound the first listing (ignore files respected) gets before the second one replaces it. */
const FIRST_PASS_SHARE = 0.4

async function ripgrepFiles(workspace: string, options: FileListOptions, ignoreFiles: boolean, timeoutMs: number): Promise<FileList & { timedOut: boolean }> {
  // No HOME and no config: ripgrep reads no user or repository configuration, only ignore files
  // (any of which may be a FIFO a run planted: it blocks the walk, hence the second listing).
  const args = ['--files', '--null', '--no-config', '--hidden', ...(ignoreFiles ? [] : ['--no-ignore']), '--glob', '!.git', '--no-messages', '--color', 'never']
  const files: string[] = []
  let truncated = false
  let timedOut = false
  let bytes = 0
  let pending: Buffer = Buffer.alloc(0)
  const stopper = new AbortController()
  const stop = (): void => {
    truncated = true
    stopper.abort()
  }
  const onTimeout = (): void => {
    timedOut = true
    truncated = true
  }
  const onStdout = (chunk: Buffer): void => {
    if (truncated) return
    bytes += chunk.length
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
    let start = 0
    for (let end = pending.indexOf(0, start); end !== -1; end = pending.indexOf(0, start)) {
      const path = pending.toString('utf8', start, end)
      start = end + 1
      if (showable(path)) files.push(path)
      if (files.length >= options.maxFiles) return stop()
    }
    pending = pending.subarray(start)
    if (bytes > options.maxBytes || pending.length > MAX_PATH_CHARS * 4) stop()
  }
  try {
    // One byte past the bound tells it was passed.
    await launchProgram({ file: options.ripgrepPath, args, cwd: workspace, env: { PATH: '/usr/bin:/bin' }, maxStdoutBytes: options.maxBytes + 1, maxStderrBytes: 0, timeoutMs, onTimeout, onStdout, signal: stopper.signal })
  } catch (error) {
    throw new Error(`ripgrep could not run: ${(error as Error).message}`)
  }
  return { files: files.sort(), truncated, timedOut }
}

/**
 * Lists `workspace` (an absolute real path) within `timeoutMs`. When the listing that respects
 * ignore files does not finish in its share of the time (an ignore file that is a FIFO blocks
 * ripgrep), the rest of the time goes to a listing that opens no ignore file, marked truncated.
 * Rejects only when ripgrep cannot run at all.
 */
export async function listWorkspaceFiles(workspace: string, options: FileListOptions = DEFAULT_FILE_LIST): Promise<FileList> {
  const first = await ripgrepFiles(workspace, options, true, options.timeoutMs * FIRST_PASS_SHARE)
  if (!first.timedOut) return { files: first.files, truncated: first.truncated }
  const second = await ripgrepFiles(workspace, options, false, options.timeoutMs * (1 - FIRST_PASS_SHARE))
  return { files: second.files, truncated: true }
}
