// One description of a sandbox, rendered to bubblewrap arguments by a pure function so the exact
// argv can be unit-tested as well as the behaviour.

export interface SandboxMounts {
  /** Absolute real path of the workspace, mounted at the same path. */
  workspace: string
  workspaceWritable: boolean
  /** Host directory mounted writable at /tmp; null for an empty, private /tmp. */
  tempDir: string | null
  /** Host directory mounted read-only at CONTROL_MOUNT (command files, the proxy socket); null for none. */
  controlDir: string | null
  /** Directories mounted over themselves, writable, so they cannot be renamed or replaced by a symlink. */
  pinned: string[]
  /** Existing paths mounted over themselves read-only. */
  readOnly: string[]
  /** Existing directories replaced by an empty read-only directory. */
  hiddenDirectories: string[]
  /** Existing files replaced by an empty read-only file. */
  hiddenFiles: string[]
}

export interface SandboxSpec {
  mounts: SandboxMounts
  /** The user and group inside; the same as outside, without any capability. */
  uid: number
  gid: number
  cwd: string
  /** A file descriptor the sandbox inherits, holding a seccomp program (see seccomp-filter.ts); null for none. */
  seccompFd: number | null
  command: string[]
}

export const CONTROL_MOUNT = '/run/tether'

export function bwrapArgv(spec: SandboxSpec): string[] {
  const { mounts } = spec
  const args = [
    '--die-with-parent',
    '--unshare-user',
    '--uid',
    String(spec.uid),
    '--gid',
    String(spec.gid),
    '--disable-userns',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--unshare-net',
    '--hostname',
    'tether-sandbox',
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    // /run holds the host's service sockets (docker, dbus, ssh and gpg agents).
    '--tmpfs',
    '/run'
  ]
  if (mounts.controlDir !== null) args.push('--ro-bind', mounts.controlDir, CONTROL_MOUNT)
  if (mounts.tempDir !== null) args.push('--bind', mounts.tempDir, '/tmp')
  else args.push('--tmpfs', '/tmp')
  args.push(mounts.workspaceWritable ? '--bind' : '--ro-bind', mounts.workspace, mounts.workspace)
  for (const path of mounts.pinned) args.push('--bind', path, path)
  for (const path of mounts.readOnly) args.push('--ro-bind', path, path)
  for (const path of mounts.hiddenDirectories) args.push('--tmpfs', path, '--remount-ro', path)
  for (const path of mounts.hiddenFiles) args.push('--ro-bind', '/dev/null', path)
  if (spec.seccompFd !== null) args.push('--seccomp', String(spec.seccompFd))
  args.push('--cap-drop', 'ALL', '--chdir', spec.cwd, '--', ...spec.command)
  return args
}
