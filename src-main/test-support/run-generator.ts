// Random but valid runs, reproducible from a seed: several turns of reasoning, text and parallel
// function calls, tool records with approvals and long outputs, and the faults a real connection
// brings (dropped sockets and resends, duplicate and unknown events, sparse streams, errors).
// Pure TypeScript: the replay tests and the benchmarks both use it.
import type { InputItem, ServerEvent } from '../common/protocol/wire'
import type { RunRecordBody } from '../common/run/records'
import type { Random } from './prng'
import { functionOutput, requestSent, runStarted, serverEvents, userTask } from './run-records'
import { requestError, ResponseStream, wireUsage } from './wire-events'

export interface RunShape {
  turns: number
  /** Text deltas per message. */
  textChunks: [number, number]
  /** Probability that a turn ends with a dropped connection and a resend. */
  dropRate: number
  /** Probability that any one server event arrives twice (and, half as often, that a delta is lost). */
  duplicateRate: number
  /** Bytes of terminal output per tool call (in 4 KB chunks). */
  toolOutputBytes: [number, number]
}

export const DEFAULT_SHAPE: RunShape = {
  turns: 6,
  textChunks: [3, 40],
  dropRate: 0.15,
  duplicateRate: 0.03,
  toolOutputBytes: [0, 64 * 1024]
}

const WORDS = ['the', 'tests', 'pass', 'file', 'weather', 'Paris', 'cloudy', 'build', 'ok', 'é', '✓', 'line\n', '"quoted"', 'npm', 'run']
const TOOLS = ['shell', 'read_file', 'search', 'script']

function sentence(random: Random, words: number): string {
  return Array.from({ length: words }, () => random.pick(WORDS)).join(' ')
}

function chunks(random: Random, [min, max]: [number, number]): string[] {
  return Array.from({ length: random.int(min, max) }, () => `${sentence(random, random.int(1, 4))} `)
}

interface Call {
  callId: string
  name: string
  args: string
}

/** The model's side of one turn: a response stream with reasoning, then text or calls. */
function modelTurn(random: Random, shape: RunShape, id: string, previousResponseId: string | null, final: boolean) {
  const sparse = random.chance(0.15)
  const stream = new ResponseStream(id, { previousResponseId, sparse })
  stream.created()
  if (!sparse) stream.inProgress()
  if (random.chance(0.4)) {
    const summaries = Array.from({ length: random.int(1, 2) }, () => chunks(random, [1, 8]))
    stream.reasoning(`rs_${id}`, summaries, random.chance(0.5) ? `gAAAA${random.int(0, 1e6)}` : null)
  }
  const calls: Call[] = []
  if (final || random.chance(0.3)) {
    stream.message(`msg_${id}`, chunks(random, shape.textChunks))
  } else {
    for (let index = 0; index < random.int(1, 3); index++) {
      const call = { callId: `call_${id}_${index}`, name: random.pick(TOOLS), args: JSON.stringify({ command: sentence(random, 3) }) }
      const pieces = call.args.match(/.{1,7}/gs) ?? [call.args]
      stream.functionCall(`fc_${id}_${index}`, call.callId, call.name, pieces)
      calls.push(call)
    }
  }
  const usage = wireUsage(random.int(100, 5000), random.int(5, 500), random.int(0, 100))
  const ending = random.next()
  if (ending < 0.05) stream.failed('server_error', 'The server had an error while processing your request.', usage)
  else if (ending < 0.1) stream.incomplete('max_output_tokens', usage)
  else if (ending < 0.13) stream.streamingError('server_error', 'The model produced invalid output.')
  else {
    stream.completed(usage)
    return { stream, calls }
  }
  // Calls of a response that did not complete are never run.
  return { stream, calls: [] }
}

/** Duplicates some events in place, loses a few deltas, and slips in event types Tether does not know. */
function perturb(random: Random, shape: RunShape, events: readonly ServerEvent[]): ServerEvent[] {
  const out: ServerEvent[] = []
  for (const event of events) {
    if (event.type.endsWith('.delta') && random.chance(shape.duplicateRate / 2)) continue
    out.push(event)
    if (random.chance(shape.duplicateRate)) out.push(event)
    if (random.chance(0.01)) out.push({ type: 'response.metadata', metadata: { note: 'vendor extra' } } as unknown as ServerEvent)
  }
  return out
}

function toolRecords(random: Random, shape: RunShape, calls: readonly Call[]): { bodies: RunRecordBody[]; outputs: InputItem[] } {
  const bodies: RunRecordBody[] = []
  const outputs: InputItem[] = []
  for (const call of calls) {
    if (random.chance(0.3)) {
      bodies.push({
        type: 'approval.requested',
        callId: call.callId,
        tool: call.name,
        subject: call.args,
        risk: 'ask',
        reasons: ['writes outside the workspace'],
        subcommands: [call.args],
        sandboxed: true,
        suggestedRule: null
      })
      const allow = random.chance(0.8)
      bodies.push({
        type: 'approval.decided',
        callId: call.callId,
        decision: allow ? 'allow' : 'deny',
        scope: 'once',
        message: allow ? null : 'not now',
        rule: null,
        by: 'person'
      })
      if (!allow) {
        const output = 'The person declined to run this command: not now'
        bodies.push({ type: 'tool.finished', callId: call.callId, status: 'denied', exitCode: null, output, durationMs: 0, artifactPath: null })
        outputs.push(functionOutput(call.callId, output))
        continue
      }
    }
    bodies.push({ type: 'tool.started', callId: call.callId, name: call.name, arguments: call.args })
    let remaining = random.int(...shape.toolOutputBytes)
    while (remaining > 0) {
      const size = Math.min(remaining, 4096)
      bodies.push({ type: 'tool.output', callId: call.callId, data: `${'x'.repeat(size - 1)}\n` })
      remaining -= size
    }
    const exitCode = random.chance(0.8) ? 0 : 1
    const output = `exit ${exitCode}\n${sentence(random, 12)}`
    bodies.push({ type: 'tool.finished', callId: call.callId, status: exitCode === 0 ? 'ok' : 'error', exitCode, output, durationMs: random.int(1, 5000), artifactPath: null })
    bodies.push({
      type: 'metrics.tool',
      callId: call.callId,
      startedAfterMs: random.int(1, 50),
      finishedAfterMs: random.int(50, 6000),
      outputSentAfterMs: null,
      approvalWaitMs: 0,
      hostWaitMs: random.int(0, 20),
      runMs: random.int(1, 5000)
    })
    outputs.push(functionOutput(call.callId, output))
  }
  return { bodies, outputs }
}

export function generateRun(random: Random, shape: RunShape = DEFAULT_SHAPE): RunRecordBody[] {
  const task = sentence(random, 8)
  const bodies: RunRecordBody[] = [
    runStarted(),
    { type: 'transport.changed', state: 'connected', transport: 'ws', attempt: null, maxAttempts: null, reason: null },
    { type: 'user.input', kind: 'task', text: task }
  ]
  let input: InputItem[] = [userTask(task)]
  let previous: string | null = null
  let responses = 0
  for (let turn = 1; turn <= shape.turns; turn++) {
    if (random.chance(0.05)) {
      bodies.push(requestSent(turn, input, previous))
      bodies.push({ type: 'server.event', event: requestError(400, 'previous_response_not_found', 'Previous response not found.', 'previous_response_id') })
      previous = null
    }
    bodies.push(requestSent(turn, input, previous, random.int(200, 20000)))
    let { stream, calls } = modelTurn(random, shape, `resp_${++responses}`, previous, turn === shape.turns)
    if (random.chance(shape.dropRate)) {
      // The socket dies mid-stream: what arrived is kept, the rest never comes, the turn is resent in full.
      bodies.push(...serverEvents(perturb(random, shape, stream.events.slice(0, random.int(1, stream.events.length - 1)))))
      bodies.push({ type: 'transport.changed', state: 'reconnecting', transport: 'ws', attempt: 1, maxAttempts: 5, reason: 'socket closed (1006)' })
      bodies.push({ type: 'transport.changed', state: 'connected', transport: 'ws', attempt: null, maxAttempts: null, reason: null })
      bodies.push(requestSent(turn, input, null, random.int(2000, 40000)))
      ;({ stream, calls } = modelTurn(random, shape, `resp_${++responses}`, null, turn === shape.turns))
    }
    if (random.chance(0.1)) bodies.push({ type: 'user.input', kind: 'steer', text: sentence(random, 5) })
    bodies.push(...serverEvents(perturb(random, shape, stream.events)))
    bodies.push({ type: 'metrics.turn', turn, transport: 'ws', mode: previous === null ? 'full' : 'incremental', bytesSent: 1000, firstEventMs: random.int(50, 900), durationMs: random.int(500, 9000) })
    const tools = toolRecords(random, shape, calls)
    bodies.push(...tools.bodies)
    input = tools.outputs.length > 0 ? tools.outputs : [userTask('continue')]
    previous = stream.id
  }
  bodies.push({ type: 'run.finished', outcome: 'completed', reason: null })
  return bodies
}
