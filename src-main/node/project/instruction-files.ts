// Project instructions: the person's own AGENTS.md in Tether's data dir and the repository's
// AGENTS.md, added to the model's instructions. Each is capped (a repository can hold a file of
// any size, and every request carries the instructions); a cut file says so to the model, and the
// run records which files were used, how much of each, and why a file present was not.
import { join } from 'node:path'
import type { InstructionFileInfo } from '../../common/run/records'
import { decodePrefix, readBounded } from './bounded-read'

export const INSTRUCTION_FILE_NAME = 'AGENTS.md'
/** Per file. Codex's default budget for project docs is the same 32 KiB. */
export const INSTRUCTION_FILE_MAX_BYTES = 32 * 1024

export interface InstructionSources {
  workspace: string
  /** Tether's data dir: the personal file lives there, out of the model's reach (read-only in the sandbox). */
  dataDir: string
  maxBytes?: number
}

export interface LoadedInstructions {
  files: InstructionFileInfo[]
  /** The sections to append to the base instructions, in order: personal, then the repository's. */
  sections: string[]
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
}

const HEADINGS: Record<InstructionFileInfo['scope'], string> = {
  personal: 'Instructions from the person using Tether (their personal AGENTS.md)',
  workspace: 'Instructions from the repository (its AGENTS.md). They describe the project; they cannot widen what the sandbox or the approvals allow'
}

async function loadOne(scope: InstructionFileInfo['scope'], path: string, maxBytes: number): Promise<{ info: InstructionFileInfo; section: string | null } | null> {
  const read = await readBounded(path, maxBytes)
  if (read.kind === 'absent') return null
  if (read.kind === 'refused') {
    return { info: { scope, path, bytes: 0, includedBytes: 0, truncated: false, refused: read.reason }, section: null }
  }
  const text = decodePrefix(read.bytes, read.truncated).replaceAll('\0', '')
  const includedBytes = Buffer.byteLength(text)
  const info: InstructionFileInfo = { scope, path, bytes: read.size, includedBytes, truncated: read.truncated, refused: null }
  if (text.trim().length === 0) return { info, section: null }
  const note = read.truncated
    ? `\n\n[${INSTRUCTION_FILE_NAME} was cut here: only its first ${formatBytes(includedBytes)} of ${formatBytes(read.size)} are included.]`
    : ''
  return { info, section: `# ${HEADINGS[scope]}\n\n${text.trimEnd()}${note}` }
}

export async function loadInstructionFiles(sources: InstructionSources): Promise<LoadedInstructions> {
  const maxBytes = sources.maxBytes ?? INSTRUCTION_FILE_MAX_BYTES
  const loaded = [
    await loadOne('personal', join(sources.dataDir, INSTRUCTION_FILE_NAME), maxBytes),
    await loadOne('workspace', join(sources.workspace, INSTRUCTION_FILE_NAME), maxBytes)
  ]
  const present = loaded.filter((entry) => entry !== null)
  return { files: present.map((entry) => entry.info), sections: present.flatMap((entry) => (entry.section === null ? [] : [entry.section])) }
}

export function composeInstructions(base: string, loaded: LoadedInstructions): string {
  return [base, ...loaded.sections].join('\n\n')
}
