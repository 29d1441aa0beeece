// The files of a workspace the person can mention with `@` in a task. ripgrep lists them
// (`--files`: names only, nothing is opened or run; .gitignore, .ignore and .git/info/exclude are
// respected; symlinks, FIFOs and other special files are left out). The workspace is hostile
// input, so the listing is bounded in count, bytes and time, and a name that is not plain
// printable text (a line break, a control or direction character) is dropped, not shown.
import { spawn } from 'node:child_process'

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

/** Lists `workspace` (an absolute real path). Rejects only when ripgrep cannot run at all. */
export function listWorkspaceFiles(workspace: string, options: FileListOptions = DEFAULT_FILE_LIST): Promise<FileList> {
  return new Promise((resolve, reject) => {
    // No HOME and no config: ripgrep reads no user or repository configuration, only ignore files.
    const child = spawn(options.ripgrepPath, ['--files', '--null', '--no-config', '--hidden', '--glob', '!.git', '--no-messages', '--color', 'never'], {
      cwd: workspace,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { PATH: '/usr/bin:/bin' }
    })
    const files: string[] = []
    let truncated = false
    let bytes = 0
    let pending: Buffer = Buffer.alloc(0)
    const stop = (): void => {
      truncated = true
      child.kill('SIGKILL')
    }
    const timer = setTimeout(stop, options.timeoutMs)
    child.stdout.on('data', (chunk: Buffer) => {
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
    })
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`ripgrep could not run: ${error.message}`))
    })
    child.once('close', () => {
      clearTimeout(timer)
      resolve({ files: files.sort(), truncated })
    })
  })
}
