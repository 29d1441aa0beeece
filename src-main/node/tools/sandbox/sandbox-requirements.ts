// Fail closed: before a sandbox is built, name what is missing instead of running without it.
import { accessSync, constants } from 'node:fs'

export interface SandboxTools {
  bwrapPath: string
  socatPath: string
}

export const DEFAULT_SANDBOX_TOOLS: SandboxTools = { bwrapPath: '/usr/bin/bwrap', socatPath: '/usr/bin/socat' }

const UNSANDBOXED_HINT = 'or choose to run without the OS sandbox (every command then asks for approval)'

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Why the sandbox cannot be used here, or null when it can. */
export function missingSandboxRequirement(tools: SandboxTools, needsProxy: boolean, platform = process.platform): string | null {
  if (platform !== 'linux') return `the OS sandbox is only available on Linux (bubblewrap) in this version; this is ${platform}. Commands cannot run sandboxed here; ${UNSANDBOXED_HINT}.`
  if (!executable(tools.bwrapPath)) return `the OS sandbox is unavailable: bubblewrap is not installed (no executable at ${tools.bwrapPath}). Install the "bubblewrap" package, ${UNSANDBOXED_HINT}.`
  if (needsProxy && !executable(tools.socatPath)) return `the network allowlist needs socat, which is not installed (no executable at ${tools.socatPath}). Install the "socat" package or empty the network allowlist.`
  return null
}

/** Adds the likely cause to bubblewrap's own start-up error. */
export function explainSandboxFailure(detail: string): string {
  const namespaces = /namespace|uid map|setting up uid|Operation not permitted|Permission denied|No space left/i.test(detail)
  const cause = namespaces
    ? ' User namespaces may be disabled on this system (see the sysctls kernel.unprivileged_userns_clone, user.max_user_namespaces and kernel.apparmor_restrict_unprivileged_userns).'
    : ''
  return `the OS sandbox could not start: ${detail}.${cause} Tether does not run commands without it unless you choose to run without the OS sandbox (every command then asks for approval).`
}
