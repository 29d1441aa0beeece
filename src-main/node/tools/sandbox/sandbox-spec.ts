// One description of a sandbox, rendered to bubblewrap arguments by pure functions so the exact
// argv can be unit-tested as well as the behaviour.
import type { HomeMount } from './home-view'

export interface SandboxMounts {
  /** Absolute real path of the workspace, mounted at the same path. */
  workspace: string
  workspaceWritable: boolean
  /** Host directory mounted writable at /tmp; null for an empty, private /tmp. */
  tempDir: string | null
  /** Host directory mounted read-only at CONTROL_MOUNT (command files, the proxy socket); null for none. */
  controlDir: string | null
  /** The real home, replaced by an empty writable tmpfs that shows only `homeMounts`; null to leave it as it is. */
  home: string | null
  /** Folders of the real home shown read-only in the empty one (see home-view.ts). */
  homeMounts: HomeMount[]
  /**
   * Host paths outside the workspace shown read-only at the same path (an MCP server's own install
   * folder), even inside the private /tmp or the empty home; the home stays empty below a readable
   * folder that holds it, and the hidden paths still win.
   */
  readable?: string[]
  /** Files written for the sandbox, mounted read-only at a path (e.g. a generated ~/.gitconfig). */
  files: Array<{ source: string; target: string }>
  /** Directories mounted over themselves, writable, so they cannot be renamed or replaced by a symlink. */
  pinned: string[]
  /** Existing paths mounted over themselves read-only. */
  readOnly: string[]
  /** Existing directories replaced by an empty read-only directory (Tether's data dir, extra secrets). */
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
  /**
   * True for the outer layer of a two-layer sandbox (the allowlist proxy's forwarder runs there and
   * starts the inner one with `innerSandboxArgv`): it may create the inner user namespace and keeps
   * capabilities inside its own namespace. Commands never run in it.
   */
  hostsInnerSandbox: boolean
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
    ...(spec.hostsInnerSandbox ? [] : ['--disable-userns']),
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
  const home = mounts.home
  const inHome = (path: string): boolean => home !== null && (path === home || path.startsWith(`${home}/`))
  // A readable folder that holds the home is shown before the empty home goes over it, so the
  // home stays empty there; one inside the home is shown on top of the empty home.
  for (const path of (mounts.readable ?? []).filter((path) => !inHome(path))) args.push('--ro-bind', path, path)
  if (home !== null) {
    args.push('--tmpfs', home)
    for (const mount of mounts.homeMounts) args.push('--ro-bind', mount.source, mount.target)
    for (const path of (mounts.readable ?? []).filter(inHome)) args.push('--ro-bind', path, path)
  }
  for (const file of mounts.files) args.push('--ro-bind', file.source, file.target)
  args.push(mounts.workspaceWritable ? '--bind' : '--ro-bind', mounts.workspace, mounts.workspace)
  for (const path of mounts.pinned) args.push('--bind', path, path)
  for (const path of mounts.readOnly) args.push('--ro-bind', path, path)
  for (const path of mounts.hiddenDirectories) args.push('--tmpfs', path, '--remount-ro', path)
  for (const path of mounts.hiddenFiles) args.push('--ro-bind', '/dev/null', path)
  if (spec.seccompFd !== null) args.push('--seccomp', String(spec.seccompFd))
  if (!spec.hostsInnerSandbox) args.push('--cap-drop', 'ALL')
  args.push('--chdir', spec.cwd, '--', ...spec.command)
  return args
}

/**
 * The inner layer, run from inside the outer one: the same file system and network, a user
 * namespace of its own (so nothing in it can trace or signal its way into the outer layer's
 * processes with privileges), no further user namespaces, no capabilities, its own seccomp filter.
 */
export function innerSandboxArgv(spec: { uid: number; gid: number; cwd: string; seccompFd: number; command: string[] }): string[] {
  return [
    '--die-with-parent',
    '--unshare-user',
    '--disable-userns',
    '--uid',
    String(spec.uid),
    '--gid',
    String(spec.gid),
    '--bind',
    '/',
    '/',
    '--dev-bind',
    '/dev',
    '/dev',
    '--seccomp',
    String(spec.seccompFd),
    '--cap-drop',
    'ALL',
    '--chdir',
    spec.cwd,
    '--',
    ...spec.command
  ]
}
