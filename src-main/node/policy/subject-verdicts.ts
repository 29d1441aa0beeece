// Verdicts for the calls that are not shell commands: scripts, file reads and file writes. The
// file tools confine themselves to the workspace too; this decides whether the person is asked.
//
//                       ask-risky   auto-in-sandbox   ask-always   read-only
//   script              allow       allow             ask          allow
//   read, workspace     allow       allow             allow        allow
//   read, elsewhere     ask         ask               ask          ask
//   read, secrets       forbid      forbid            forbid       forbid
//   (secrets: keys and tokens in the home directory, .env files, Tether's data dir, /proc/*/environ)
//   write, workspace    allow       allow             ask          refused
//   write, protected    forbid      forbid            forbid       refused
//   (protected: outside the workspace, inside .git, hook folders, rc files, editor tasks, .envrc)
import { posix } from 'node:path'
import type { ApprovalMode } from '../../common/run/records'
import { protectedReason } from '../tools/sandbox/protected-paths'
import type { PolicyVerdict } from './approval-policy'
import { classifyPath, type PathEnvironment, type ResolvedPath } from './path-scope'

function verdict(decision: PolicyVerdict['decision'], reason: string): PolicyVerdict {
  return { decision, reasons: [reason], subcommands: [], suggestedRule: null, matchedRule: null, settledBy: null, refusal: null }
}

/** Where a path given to a file tool points, after `..` and symlinks. */
export function resolveToolPath(path: string, environment: PathEnvironment): ResolvedPath {
  return classifyPath(environment.realpath(posix.resolve(environment.workspace, path)), environment)
}

function isInWorkspace(resolved: ResolvedPath): boolean {
  return resolved.scope === 'inside' || resolved.scope === 'workspace'
}

export function scriptVerdict(mode: ApprovalMode): PolicyVerdict {
  if (mode === 'ask-always') return verdict('ask', 'ask-always asks before every script')
  return verdict('allow', 'the script runs in an isolated JavaScript sandbox and reads the workspace only through a copying API')
}

export function readVerdict(path: string, environment: PathEnvironment): PolicyVerdict {
  const resolved = resolveToolPath(path, environment)
  if (resolved.secretBecause) return verdict('forbid', `reads ${resolved.path}: ${resolved.secretBecause}`)
  if (isInWorkspace(resolved)) return verdict('allow', `reads ${resolved.path}, inside the workspace`)
  const why = resolved.protectedBecause ? `: ${resolved.protectedBecause}` : ''
  return verdict('ask', `reads ${resolved.path}, outside the workspace${why}`)
}

/** Why writing there is never routine, or null for an ordinary file in the workspace. */
function writeProblem(resolved: ResolvedPath, environment: PathEnvironment): string | null {
  if (!isInWorkspace(resolved)) return `writes ${resolved.path}, outside the workspace${resolved.protectedBecause ? ` (${resolved.protectedBecause})` : ''}`
  if (resolved.protectedBecause) return `writes ${resolved.path}: ${resolved.protectedBecause}`
  const relative = posix.relative(environment.workspace, resolved.path)
  const reason = relative === '' ? null : protectedReason(relative)
  return reason === null ? null : `writes ${resolved.path}: ${reason}`
}

export function writeVerdict(tool: string, path: string, mode: ApprovalMode, environment: PathEnvironment): PolicyVerdict {
  const resolved = resolveToolPath(path, environment)
  const problem = writeProblem(resolved, environment)
  if (mode === 'read-only') {
    return {
      ...verdict(problem ? 'forbid' : 'ask', problem ?? `writes ${resolved.path}`),
      reasons: [`the run is read-only, so ${tool} is refused`, problem ?? `writes ${resolved.path}`],
      settledBy: { by: 'mode', scope: 'once' },
      refusal: `Refused without asking: this run is read-only, so ${tool} may not change ${path}.`
    }
  }
  if (problem) return verdict('forbid', problem)
  if (mode === 'ask-always') return verdict('ask', `ask-always asks before every write (${resolved.path})`)
  return verdict('allow', `writes ${resolved.path}, inside the workspace`)
}

export function invalidVerdict(message: string): PolicyVerdict {
  return verdict('allow', `the arguments are invalid, so the call fails without running: ${message}`)
}
