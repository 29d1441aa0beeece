// Where the file tools may read and write: inside the workspace (after every symlink is
// resolved), never under a hidden path, and never writing a protected or read-only path.
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { protectedReason } from '../sandbox/protected-paths'

export interface PathPolicy {
  /** Absolute, real path of the workspace. */
  workspace: string
  /** Absolute real paths that may be read but never written (Tether's data dir, git directories). */
  readOnly: string[]
  /** Absolute real paths that may be neither read nor written (credentials, the token store). */
  hidden: string[]
}

/** An expected refusal or failure, reported to the model as the call's error text. */
export class FileToolError extends Error {}

export function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

export function workspaceRelative(policy: PathPolicy, path: string): string {
  return relative(policy.workspace, path).split(sep).join('/') || '.'
}

/** The lexically resolved absolute path of a model-supplied path; refuses anything outside the workspace. */
export function lexicalPath(policy: PathPolicy, input: string): string {
  if (input.includes('\0')) throw new FileToolError('the path contains a NUL character')
  const absolute = resolve(policy.workspace, input)
  if (!isWithin(policy.workspace, absolute)) throw new FileToolError(`${input} is outside the workspace (${policy.workspace})`)
  return absolute
}

export function checkReadable(policy: PathPolicy, input: string, real: string): void {
  if (!isWithin(policy.workspace, real)) throw new FileToolError(`${input} resolves to ${real}, which is outside the workspace`)
  if (policy.hidden.some((hidden) => isWithin(hidden, real))) throw new FileToolError(`${input} is not readable: it is a protected secret location`)
}

export function checkWritable(policy: PathPolicy, input: string, real: string): void {
  checkReadable(policy, input, real)
  if (policy.readOnly.some((root) => isWithin(root, real))) throw new FileToolError(`${input} is read-only for tools (it is under ${policy.readOnly.find((root) => isWithin(root, real))})`)
  const reason = protectedReason(workspaceRelative(policy, real))
  if (reason !== null) throw new FileToolError(`refusing to write ${input}: ${reason}`)
}
