// Search in run history: the person's own words (task, steering, follow-ups), the assistant's
// answers and the commands the run ran, over every run log. What a log says is extracted once
// and kept while the file's size and modification time stay the same, so a search after the
// first costs a scan of short texts, not a fold of every log.
import { stat } from 'node:fs/promises'
import type { RunSearchHit } from '../../common/api/contract'
import type { RunState } from '../../common/run/state'
import { assistantMessagesOf } from '../../common/run/transcript'
import { foldRunLog } from '../store/run-log-fold'

type SearchField = RunSearchHit['field']

interface SearchText {
  field: SearchField
  text: string
}

interface CachedRun {
  size: number
  mtimeMs: number
  texts: SearchText[]
}

const SNIPPET_CONTEXT = 60
const COMMAND_CHARS = 2_000

function textsOf(state: RunState): SearchText[] {
  const texts: SearchText[] = []
  for (const input of state.userInputs) {
    if (input.kind === 'interrupt') continue
    texts.push({ field: input === state.userInputs[0] ? 'task' : 'message', text: input.text })
  }
  for (const answer of assistantMessagesOf(state)) texts.push({ field: 'answer', text: answer })
  for (const callId of state.toolCallOrder) {
    const call = state.toolCalls[callId]
    if (call) texts.push({ field: 'command', text: call.arguments.slice(0, COMMAND_CHARS) })
  }
  return texts
}

function snippetOf(text: string, at: number, length: number): string {
  const start = Math.max(0, at - SNIPPET_CONTEXT)
  const end = Math.min(text.length, at + length + SNIPPET_CONTEXT)
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ').trim()}${end < text.length ? '…' : ''}`
}

export class RunSearch {
  #cache = new Map<string, CachedRun>()

  /**
   * The runs among `runs` (id and log path, newest first) whose texts contain `query` (case
   * folded), with the first match of each; at most `limit` runs.
   */
  async search(query: string, runs: readonly { id: string; path: string }[], limit = 100): Promise<RunSearchHit[]> {
    const needle = query.trim().toLowerCase()
    if (needle.length === 0) return []
    const hits: RunSearchHit[] = []
    for (const run of runs) {
      const texts = await this.#textsOf(run.path)
      for (const { field, text } of texts) {
        const at = text.toLowerCase().indexOf(needle)
        if (at === -1) continue
        hits.push({ runId: run.id, field, snippet: snippetOf(text, at, needle.length) })
        break
      }
      if (hits.length >= limit) break
    }
    return hits
  }

  async #textsOf(path: string): Promise<SearchText[]> {
    let info
    try {
      info = await stat(path)
    } catch {
      return []
    }
    const cached = this.#cache.get(path)
    if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return cached.texts
    // Folded a chunk at a time: a gigabyte log is never held whole, and the host keeps answering.
    const texts = textsOf((await foldRunLog(path)).state)
    this.#cache.set(path, { size: info.size, mtimeMs: info.mtimeMs, texts })
    return texts
  }
}
