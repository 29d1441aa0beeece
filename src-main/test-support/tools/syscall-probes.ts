// Programs that try what a seccomp filter must refuse, built at test time: a C program when a
// compiler is there (io_uring: make a Unix socket and connect it without socket() or connect()),
// otherwise Python's ctypes, which can at least call io_uring_setup.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

function has(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** A shell command that tries to connect to the Unix socket `socketPath` through io_uring, or null when nothing can build one. */
export function ioUringConnectCommand(buildDir: string, socketPath: string): { command: string; kind: 'c' | 'python' } | null {
  if (has('gcc') || has('cc')) {
    const binary = join(buildDir, 'uring-connect')
    execFileSync(has('gcc') ? 'gcc' : 'cc', ['-O1', '-o', binary, join(import.meta.dirname, 'uring-connect.c')])
    return { command: `'${binary}' '${socketPath}'`, kind: 'c' }
  }
  if (has('python3')) {
    const nr = process.arch === 'x64' || process.arch === 'arm64' ? 425 : null
    if (nr === null) return null
    const script = `import ctypes, os; libc = ctypes.CDLL(None, use_errno=True); params = ctypes.create_string_buffer(120); fd = libc.syscall(${nr}, 4, params); print('io_uring_setup: ' + (os.strerror(ctypes.get_errno()) if fd < 0 else 'ok'))`
    return { command: `python3 -c "${script}"`, kind: 'python' }
  }
  return null
}
