// The file tools' answers: the text the model reads, and refusals and failures as answers
// (status `error`), never exceptions.
import { FileToolError } from '../files/path-policy'
import { RipgrepError } from '../files/ripgrep'
import { errorOutcome, okOutcome } from '../host/tool-outcome'
import type { ToolRun } from '../registry/define-tool'

export async function fileToolRun(tool: string, produce: () => string | Promise<string>): Promise<ToolRun> {
  try {
    return { outcome: okOutcome(await produce()), queuedMs: 0 }
  } catch (error) {
    if (error instanceof FileToolError || error instanceof RipgrepError) return { outcome: errorOutcome(error.message), queuedMs: 0 }
    return { outcome: errorOutcome(`${tool} failed: ${(error as Error)?.message ?? String(error)}`), queuedMs: 0 }
  }
}

/** The `path` argument most file tools take. */
export const PATH_DESCRIPTION = 'File path, relative to the workspace root.'

export function requireNonEmpty(value: string, field: string): string | null {
  return value.length === 0 ? `${field} must not be empty` : null
}
