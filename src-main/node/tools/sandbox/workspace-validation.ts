// Which folders may be a workspace. The sandbox makes the workspace writable, so a workspace that
// holds the person's home, a system directory or Tether's own data would hand all of it to the
// model: start-up files, SSH keys, systemd units, saved keys and other runs' logs.
import { realpathSync, statSync, type Stats } from 'node:fs'
import { basename, dirname, join, sep } from 'node:path'

/** Refused as a workspace themselves (their subfolders are fine: /tmp/x, /home/me/src). */
const REFUSED_EXACTLY = ['/', '/home', '/root', '/tmp', '/var', '/var/tmp', '/opt', '/srv', '/mnt', '/media', '/snap', '/nix', '/Users', '/Volumes', '/private', '/private/var', '/private/tmp']

/** Refused together with everything inside them. */
const REFUSED_TREES = ['/usr', '/etc', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/boot', '/proc', '/sys', '/dev', '/run', '/var/run', '/var/lib', '/var/log', '/var/cache', '/var/spool', '/var/mail', '/System', '/Library', '/Applications', '/private/etc', '/nix/store']

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root === sep ? sep : `${root}${sep}`)
}

/** The real path of `path`, resolving the part that exists (a data dir may not exist yet). */
export function realPathOfPossiblyMissing(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    const parent = dirname(path)
    return parent === path ? path : join(realPathOfPossiblyMissing(parent), basename(path))
  }
}

export interface WorkspaceLimits {
  home: string
  /** Tether's data dir, when there is one. */
  dataDir: string | null
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path)
  } catch {
    return null
  }
}

/** `path` and its ancestors, nearest first. */
function selfAndAncestors(path: string): string[] {
  const chain = [path]
  for (let dir = dirname(path); dir !== chain.at(-1); dir = dirname(dir)) chain.push(dir)
  return chain
}

/**
 * Whether the folder `workspace` is `target` or one of its ancestors by identity (device and
 * inode), which also catches another name for it, such as a bind mount of the home elsewhere.
 */
function holdsByIdentity(workspace: string, target: string): boolean {
  const folder = statOrNull(workspace)
  if (folder === null) return false
  return selfAndAncestors(target).some((path) => {
    const stats = statOrNull(path)
    return stats !== null && stats.dev === folder.dev && stats.ino === folder.ino
  })
}

/** Why `workspace` (a real path) cannot be a workspace, or null when it can. */
export function workspaceRefusal(workspace: string, limits: WorkspaceLimits): string | null {
  const byName = refusalByName(workspace, limits)
  if (byName !== null) return byName
  if (holdsByIdentity(workspace, realPathOfPossiblyMissing(limits.home))) return `${workspace} is your home folder, or holds it, under another name`
  if (limits.dataDir !== null && holdsByIdentity(workspace, realPathOfPossiblyMissing(limits.dataDir))) return `${workspace} holds Tether's data folder under another name`
  return null
}

function refusalByName(workspace: string, limits: WorkspaceLimits): string | null {
  const home = realPathOfPossiblyMissing(limits.home)
  if (workspace === home) return `${workspace} is your home folder; open a project folder inside it instead`
  if (isInside(workspace, home)) return `${workspace} contains your home folder; open a project folder instead`
  if (limits.dataDir !== null) {
    const dataDir = realPathOfPossiblyMissing(limits.dataDir)
    if (isInside(workspace, dataDir)) return `${workspace} contains Tether's data folder (${dataDir}), with its keys and run logs`
    if (isInside(dataDir, workspace)) return `${workspace} is inside Tether's data folder (${dataDir})`
  }
  for (const refused of REFUSED_EXACTLY) {
    if (workspace === refused) return `${workspace} is a system folder; open a project folder instead`
  }
  for (const refused of REFUSED_TREES) {
    if (workspace === refused) return `${workspace} is a system folder; open a project folder instead`
    if (isInside(refused, workspace)) return `${workspace} is inside the system folder ${refused}`
  }
  return null
}

/** Resolves symlinks, then throws with the reason when `workspace` is refused. */
export function checkedWorkspace(workspace: string, limits: WorkspaceLimits): string {
  const real = realpathSync(workspace)
  const refusal = workspaceRefusal(real, limits)
  if (refusal !== null) throw new WorkspaceRefused(`this folder cannot be a workspace: ${refusal}`)
  return real
}

export class WorkspaceRefused extends Error {}
