// Anything `tether replay` and the replay viewer can open: a Tether run log, or a raw stream of
// Responses server events (JSONL, one event per line, or SSE text). Raw events become
// `server.event` records numbered from 0 in file order.
import { readFile } from 'node:fs/promises'
import { createParser } from 'eventsource-parser'
import { parseServerFrame } from '../../common/protocol/parse-server-frame'
import type { ProtocolError } from '../../common/protocol/parse-server-frame'
import { isKnownServerEventType } from '../../common/protocol/wire'
import type { ServerEvent } from '../../common/protocol/wire'
import type { RunRecord } from '../../common/run/records'
import { RUN_LOG_VERSION } from '../../common/run/records'
import { looksLikeRecordLine } from './record-codec'
import { parseRunLog } from './run-log-reader'

export type ReplayKind = 'run-log' | 'jsonl-events' | 'sse-events'

export interface ReplayProblem {
  /** 1-based line of the file (for SSE, of the event's last `data:` line is not tracked: null). */
  line: number | null
  code: string
  message: string
}

export interface ReplaySource {
  kind: ReplayKind
  records: RunRecord[]
  problems: ReplayProblem[]
}

export class NotReplayableError extends Error {}

/** The first non-blank line among the first fifty, decoded alone: a long log is never decoded whole. */
function firstContentLine(bytes: Buffer): string {
  let start = 0
  for (let line = 0; line < 50 && start < bytes.length; line++) {
    const newline = bytes.indexOf(0x0a, start)
    const end = newline === -1 ? bytes.length : newline
    const text = bytes.toString('utf8', start, end).trim()
    if (text.length > 0) return text
    start = end + 1
  }
  return ''
}

function eventRecords(events: { event: ServerEvent }[]): RunRecord[] {
  return events.map(({ event }, seq) => ({ v: RUN_LOG_VERSION, seq, ts: 0, type: 'server.event', event }) as RunRecord)
}

function problemOf(line: number | null, error: ProtocolError): ReplayProblem {
  return { line, code: error.code, message: error.message }
}

function parseJsonlEvents(text: string): { events: { event: ServerEvent }[]; problems: ReplayProblem[] } {
  const events: { event: ServerEvent }[] = []
  const problems: ReplayProblem[] = []
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim()
    if (line.length === 0) return
    const parsed = parseServerFrame(line)
    if (parsed.ok) events.push({ event: parsed.event })
    else problems.push(problemOf(index + 1, parsed.error))
  })
  return { events, problems }
}

function parseSseEvents(text: string): { events: { event: ServerEvent }[]; problems: ReplayProblem[] } {
  const events: { event: ServerEvent }[] = []
  const problems: ReplayProblem[] = []
  const parser = createParser({
    onEvent: (message) => {
      if (message.data === '[DONE]') return
      const parsed = parseServerFrame(message.data)
      if (parsed.ok) events.push({ event: parsed.event })
      else problems.push(problemOf(null, parsed.error))
    },
    onError: (error) => problems.push({ line: null, code: 'malformed_sse', message: error.message })
  })
  parser.feed(text.endsWith('\n\n') ? text : `${text}\n\n`)
  return { events, problems }
}

export function parseReplaySource(bytes: Buffer): ReplaySource {
  const first = firstContentLine(bytes)
  if (looksLikeRecordLine(first)) {
    const log = parseRunLog(bytes)
    const problems: ReplayProblem[] = log.problems.map((problem) => ({
      line: problem.line,
      code: 'corrupt_record',
      message: `line ${problem.line}: ${problem.reason}`
    }))
    if (log.tornTail) {
      problems.push({ line: null, code: 'torn_tail', message: `the last ${log.tornTail.bytes} bytes are an unfinished line` })
    }
    return { kind: 'run-log', records: log.records, problems }
  }
  const text = bytes.toString('utf8')
  const sse = /^(data|event|id|retry):/.test(first) || first.startsWith(':')
  const { events, problems } = sse ? parseSseEvents(text) : parseJsonlEvents(text)
  // Any JSON with a string `type` passes frame validation; a stream needs at least one event the
  // Responses API defines, or other JSONL (another tool's log, say) would replay as an empty run.
  if (!events.some(({ event }) => isKnownServerEventType(event.type))) {
    throw new NotReplayableError('neither a Tether run log nor a stream of Responses server events')
  }
  return { kind: sse ? 'sse-events' : 'jsonl-events', records: eventRecords(events), problems }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** `-` reads standard input (the output of `tether run --json`, say). */
export async function loadReplaySource(path: string): Promise<ReplaySource> {
  return parseReplaySource(path === '-' ? await readStdin() : await readFile(path))
}
