// The one pure fold: RunState = records.reduce(reduce, initialRunState). No clocks, no randomness,
// no I/O: timestamps come from the records.
import type { RunRecord, SettingsChange, ToolFinishedRecord, TransportChangedRecord } from './records'
import { assertNever } from './records'
import { Ownership, type WriteObserver } from './ownership'
import { failTurn, isOpenStatus, reduceServerEvent } from './reduce-server-event'
import type { ApprovalView, RunState, ToolCallView, TurnView } from './state'
import { TERMINAL_TAIL_BYTES, initialRunState, requestedCall } from './state'
import { turnIndexOf, updateTurn } from './turns'

function updateCall(state: RunState, callId: string, own: Ownership, update: (call: ToolCallView) => ToolCallView): RunState {
  const existing = state.toolCalls[callId]
  const call = update(existing ?? requestedCall(callId, '', '', null, null))
  return own.patch(state, {
    toolCalls: own.withKey(state.toolCalls, callId, call),
    toolCallOrder: existing ? state.toolCallOrder : own.withAppended(state.toolCallOrder, callId)
  })
}

/** Turns with `view` as the last one, replacing an earlier view of the same turn (a resend). */
function withSentTurn(turns: readonly TurnView[], view: TurnView, own: Ownership): TurnView[] {
  const index = turnIndexOf(turns, view.turn)
  if (index === -1) return own.withAppended(turns, view)
  if (index === turns.length - 1) return own.withIndex(turns, index, view)
  return [...turns.filter((other) => other.turn !== view.turn), view]
}

/** A response still streaming when the connection or the process went away will never finish. */
function dropOpenResponse(state: RunState, own: Ownership): RunState {
  const index = state.cursor.responseIndex
  const response = index === null ? undefined : state.responses[index]
  if (index === null || !response || !isOpenStatus(response.status)) return state
  return own.patch(state, { responses: own.withIndex(state.responses, index, { ...response, status: 'dropped' }) })
}

/** The person's new settings on resume: the rest of the run uses them, and a later resume starts from them. */
function withSettingsChange(state: RunState, change: SettingsChange): RunState {
  const { model, ...settings } = change
  return {
    ...state,
    model: model ?? state.model,
    settings: state.settings === null ? null : { ...state.settings, ...settings },
    transport: settings.transport === undefined ? state.transport : { ...state.transport, transport: settings.transport }
  }
}

function appendTerminal(call: ToolCallView, data: string): ToolCallView {
  const terminal = call.terminal + data
  if (terminal.length <= TERMINAL_TAIL_BYTES) return { ...call, terminal }
  const dropped = terminal.length - TERMINAL_TAIL_BYTES
  return { ...call, terminal: terminal.slice(dropped), terminalDroppedBytes: call.terminalDroppedBytes + dropped }
}

function finishCall(state: RunState, record: RunRecord & ToolFinishedRecord, own: Ownership): RunState {
  const next = updateCall(state, record.callId, own, (call) => ({
    ...call,
    status: record.status,
    exitCode: record.exitCode,
    output: record.output,
    durationMs: record.durationMs,
    artifactPath: record.artifactPath,
    finishedAt: record.ts
  }))
  // A call that ran while its response still streamed joins the conversation when that response
  // ends, after its items, as if it ran afterwards (see `appendEarlyResults`).
  // Until then (an `error` event may mark it failed before its `response.completed` comes) it is
  // held back, so it joins once at most.
  const responseIndex = next.toolCalls[record.callId]?.responseIndex ?? null
  const response = responseIndex === null ? undefined : next.responses[responseIndex]
  if (response && !response.ended && response.status !== 'dropped') return next
  return own.patch(next, { timeline: own.withAppended(next.timeline, { kind: 'tool_result', callId: record.callId }) })
}

function changeTransport(state: RunState, record: TransportChangedRecord, own: Ownership): RunState {
  const transport = {
    ...state.transport,
    transport: record.transport,
    state: record.state,
    attempt: record.attempt,
    maxAttempts: record.maxAttempts,
    reason: record.reason,
    reconnects: state.transport.reconnects + (record.state === 'reconnecting' ? 1 : 0),
    rotations: state.transport.rotations + (record.state === 'rotated' ? 1 : 0),
    fellBack: state.transport.fellBack || record.state === 'fell_back'
  }
  const next = { ...state, transport }
  return record.state === 'connected' || record.state === 'connecting' ? next : dropOpenResponse(next, own)
}

function reduceRecord(state: RunState, record: RunRecord, own: Ownership): RunState {
  switch (record.type) {
    case 'run.started':
      return {
        ...state,
        runId: record.runId,
        workspace: record.workspace,
        worktree: record.worktree ?? null,
        provider: record.provider,
        model: record.model,
        settings: record.settings,
        tools: record.tools,
        toolViews: record.toolViews ?? {},
        status: 'running',
        startedAt: record.ts,
        transport: { ...state.transport, transport: record.settings.transport }
      }
    case 'run.resumed': {
      const next = dropOpenResponse(state, own)
      const resumed = own.patch(next, {
        timeline: own.withAppended(next.timeline, { kind: 'resumed', reason: record.reason, at: record.ts, freshShell: record.freshShell === true }),
        status: 'running',
        finishReason: null,
        finishedAt: null,
        resumes: state.resumes + 1
      })
      return record.changed === undefined ? resumed : withSettingsChange(resumed, record.changed)
    }
    case 'request.sent': {
      const turn: TurnView = {
        turn: record.turn,
        transport: record.transport,
        mode: record.mode,
        previousResponseId: record.previousResponseId,
        bytes: record.bytes,
        sentAt: record.ts,
        inputCount: record.input.length,
        responseIndexes: [],
        failure: null,
        firstEventMs: null,
        durationMs: null
      }
      let next = own.patch(state, {
        retry: null,
        turns: withSentTurn(state.turns, turn, own),
        cursor: { responseIndex: null, lastSequence: null, turn: record.turn },
        sentThrough: state.timeline.length
      })
      for (const item of record.input) {
        const callId = item.type === 'function_call_output' && 'call_id' in item ? item.call_id : null
        if (typeof callId === 'string' && next.toolCalls[callId]) {
          next = updateCall(next, callId, own, (call) => ({ ...call, outputSent: true }))
        }
      }
      return next
    }
    case 'request.failed': {
      const error = { source: 'request' as const, code: record.code, message: record.message, responseIndex: null, at: record.ts }
      return failTurn(own.patch(state, { errors: own.withAppended(state.errors, error) }), record.code, record.message, own)
    }
    case 'retry.scheduled':
      return own.patch(state, {
        retry: {
          errorClass: record.errorClass,
          code: record.code,
          message: record.message,
          retryAt: record.ts + record.delayMs,
          serverDelay: record.serverDelay,
          attempt: record.attempt,
          maxAttempts: record.maxAttempts
        }
      })
    case 'server.event': {
      const before = state.responses.length
      const turn = state.cursor.turn
      const next = reduceServerEvent(state, record.event, own)
      if (next.responses.length === before || turn === null) return next
      const added = Array.from({ length: next.responses.length - before }, (_, i) => before + i)
      return updateTurn(next, turn, own, (view) => ({ ...view, responseIndexes: [...view.responseIndexes, ...added] }))
    }
    case 'server.malformed': {
      const error = { source: 'protocol' as const, code: record.error.code, message: record.error.message, responseIndex: null, at: record.ts }
      return own.patch(state, { errors: own.withAppended(state.errors, error) })
    }
    case 'tool.started':
      return updateCall(state, record.callId, own, (call) => ({
        ...call,
        name: call.name || record.name,
        arguments: call.arguments || record.arguments,
        status: 'running',
        startedAt: record.ts
      }))
    case 'tool.output':
      return updateCall(state, record.callId, own, (call) => appendTerminal(call, record.data))
    case 'tool.finished':
      return finishCall(state, record, own)
    case 'approval.requested': {
      const approval = {
        callId: record.callId,
        tool: record.tool,
        subject: record.subject,
        risk: record.risk,
        reasons: record.reasons,
        subcommands: record.subcommands,
        sandboxed: record.sandboxed,
        suggestedRule: record.suggestedRule,
        requestedAt: record.ts,
        decision: null
      }
      const next = own.patch(state, { approvals: own.withKey<ApprovalView>(state.approvals, record.callId, approval) })
      return updateCall(next, record.callId, own, (call) => ({ ...call, status: 'awaiting_approval' }))
    }
    case 'approval.decided': {
      const approval = state.approvals[record.callId]
      if (!approval) return state
      const decision = {
        decision: record.decision,
        scope: record.scope,
        message: record.message,
        rule: record.rule,
        by: record.by,
        decidedAt: record.ts
      }
      const next = own.patch(state, { approvals: own.withKey<ApprovalView>(state.approvals, record.callId, { ...approval, decision }) })
      return updateCall(next, record.callId, own, (call) =>
        call.status === 'awaiting_approval' ? { ...call, status: 'requested' } : call
      )
    }
    case 'user.input': {
      const index = state.userInputs.length
      return own.patch(state, {
        userInputs: own.withAppended(state.userInputs, { kind: record.kind, text: record.text, at: record.ts, delivered: false }),
        timeline: own.withAppended(state.timeline, { kind: 'user', index })
      })
    }
    case 'transport.changed':
      return changeTransport(state, record, own)
    case 'metrics.turn':
      return updateTurn(state, record.turn, own, (view) => ({
        ...view,
        firstEventMs: record.firstEventMs,
        durationMs: record.durationMs
      }))
    case 'metrics.tool': {
      const metrics = {
        startedAfterMs: record.startedAfterMs,
        finishedAfterMs: record.finishedAfterMs,
        outputSentAfterMs: record.outputSentAfterMs,
        approvalWaitMs: record.approvalWaitMs,
        hostWaitMs: record.hostWaitMs,
        runMs: record.runMs
      }
      return updateCall(state, record.callId, own, (call) => ({ ...call, metrics }))
    }
    case 'context.compacted': {
      const index = state.compactions.length
      const compaction = {
        method: record.method,
        throughTimeline: record.throughTimeline,
        replacement: record.replacement,
        tokensBefore: record.tokensBefore,
        tokensAfter: record.tokensAfter,
        usage: record.usage,
        reason: record.reason,
        at: record.ts
      }
      return own.patch(state, {
        compactions: own.withAppended(state.compactions, compaction),
        timeline: own.withAppended(state.timeline, { kind: 'compaction', index })
      })
    }
    case 'metrics.usage':
      // A summary of what the state already holds (the meter is computed from the responses).
      return state
    case 'log.repaired':
      return own.patch(state, { logRepairs: state.logRepairs + 1 })
    case 'checkpoint.saved':
      return updateCall(state, record.callId, own, (call) =>
        record.phase === 'before'
          ? { ...call, rewindable: record.kept }
          : { ...call, changes: { paths: record.changed, count: record.changedCount, notes: record.notes } }
      )
    case 'workspace.rewound': {
      const rewind = { beforeCallId: record.beforeCallId, changedCount: record.changedCount, failed: record.failed, at: record.ts }
      return own.patch(state, { rewinds: own.withAppended(state.rewinds, rewind) })
    }
    case 'run.finished':
      return {
        ...dropOpenResponse(state, own),
        retry: null,
        status: record.outcome,
        finishReason: record.reason,
        finishedAt: record.ts
      }
    default:
      return assertNever(record, 'run record')
  }
}

function reduceOwned(state: RunState, record: RunRecord, own: Ownership): RunState {
  return reduceRecord(own.patch(state, { lastSeq: record.seq, lastTs: record.ts }), record, own)
}

/**
 * One step; copies what it changes, so `state` and every state before it stay as they were. That
 * copies each collection the record touches, so it costs what the run holds: folds of more than
 * one record use `foldRecords` or a `LiveFold`.
 */
export function reduce(state: RunState, record: RunRecord): RunState {
  return reduceOwned(state, record, new Ownership())
}

/**
 * The same result as applying `reduce` record by record, in linear time: the states in between
 * are never handed out, so the fold changes the collections it copied in place (see Ownership).
 */
export function foldRecords(records: Iterable<RunRecord>, from: RunState = initialRunState): RunState {
  const own = new Ownership()
  let state = from
  for (const record of records) state = reduceOwned(state, record, own)
  return state
}

export interface LiveFoldOptions {
  /** Collections of `from` that nothing else holds: the fold changes them in place from the start. */
  owned?: readonly object[]
  /** Hears of every entry the fold sets in a collection (see Ownership). */
  observer?: WriteObserver
}

/**
 * The fold of the one writer that holds a run's state while it grows (the run driver, the
 * renderer's open run): O(1) amortised per record, however long the run. Between hand-outs it
 * changes the collections it copied in place; handing a state out gives up what that state could
 * see change, so the next record copies what it touches and what was handed out stays as it was.
 */
export class LiveFold {
  #state: RunState
  #own: Ownership

  constructor(from: RunState = initialRunState, options: LiveFoldOptions = {}) {
    this.#state = from
    this.#own = new Ownership(new WeakSet(options.owned ?? []), options.observer)
  }

  /** The working state, for reading now: the next record may change it in place, so never keep it. */
  get current(): RunState {
    return this.#state
  }

  apply(record: RunRecord): RunState {
    this.#state = reduceOwned(this.#state, record, this.#own)
    return this.#state
  }

  /** The state as of now, never to change. The next record copies what it touches (once per hand-out). */
  snapshot(): RunState {
    this.#own = this.#own.keeping([])
    return this.#state
  }

  /** A change of the working state by the fold's owner, made with the fold's copy-on-write like a record's. */
  update(change: (state: RunState, own: Ownership) => RunState): RunState {
    this.#state = change(this.#state, this.#own)
    return this.#state
  }

  /**
   * A view for a display that redraws from every new one: its item, call, approval, response and
   * turn views never change, while its keyed collections and lists are the fold's own and show
   * the records folded after it. O(1): nothing is copied until a record changes a view.
   */
  frame(): RunState {
    return { ...this.seal() }
  }

  /**
   * Makes every view folded so far final, as `frame` does, while the fold keeps changing its
   * collections in place: what a fold does at each checkpoint it writes down as changes.
   */
  seal(): RunState {
    const state = this.#state
    this.#own = this.#own.keeping([
      state,
      state.items,
      state.toolCalls,
      state.toolCallOrder,
      state.approvals,
      state.timeline,
      state.responses,
      state.responseIndexById,
      state.turns,
      state.userInputs,
      state.errors,
      state.gaps,
      state.compactions,
      state.rewinds
    ])
    return state
  }
}
