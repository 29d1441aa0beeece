// A commit message drafted by the run's model on request: one plain Responses request (not part
// of the run, nothing stored on the server) with the changed files and a bounded diff.
import type { ChangedFile } from '../../common/api/contract'
import { hunksOf } from '../../common/review/file-hunks'
import type { Provider } from '../driver/provider'

const DIFF_BUDGET = 24 * 1024
const TIMEOUT_MS = 60_000

export const DRAFT_INSTRUCTIONS =
  'Write a git commit message for the changes below: a summary line of at most 72 characters, then a blank line and a short body that says what changed and why. Reply with the message only.'

export class DraftError extends Error {}

/** The changes as a compact unified diff, cut at a budget. */
export function describeChanges(files: ChangedFile[]): string {
  const parts: string[] = []
  let used = 0
  for (const file of files) {
    const header = `${file.status} ${file.oldPath ? `${file.oldPath} -> ` : ''}${file.path}${file.note ? ` (${file.note})` : ''}`
    let body = ''
    if (file.before !== null && file.after !== null) {
      body = hunksOf(file.before, file.after)
        .map((hunk) => [`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines].join('\n'))
        .join('\n')
    }
    const part = body ? `${header}\n${body}` : header
    if (used + part.length > DIFF_BUDGET) {
      parts.push(`${header}\n(diff left out: the change is long)`)
      continue
    }
    used += part.length
    parts.push(part)
  }
  return parts.join('\n\n')
}

export async function draftCommitMessage(provider: Provider, model: string, files: ChangedFile[]): Promise<string> {
  let response: Response
  try {
    response = await fetch(`${provider.baseUrl}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${provider.apiKey}` },
      body: JSON.stringify({
        model,
        store: false,
        instructions: DRAFT_INSTRUCTIONS,
        input: [{ type: 'message', role: 'user', content: describeChanges(files) }]
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS)
    })
  } catch (error) {
    throw new DraftError(`the model could not be reached: ${(error as Error).message}`)
  }
  const body = (await response.json().catch(() => null)) as { output?: { type?: string; content?: { type?: string; text?: string }[] }[]; error?: { message?: string } } | null
  if (!response.ok) throw new DraftError(`the model refused the request (HTTP ${response.status}${body?.error?.message ? `: ${body.error.message}` : ''})`)
  const text = (body?.output ?? [])
    .filter((item) => item.type === 'message')
    .flatMap((item) => item.content ?? [])
    .filter((part) => part.type === 'output_text' && typeof part.text === 'string')
    .map((part) => part.text)
    .join('')
    .trim()
  if (text === '') throw new DraftError('the model answered without a message')
  return text
}
