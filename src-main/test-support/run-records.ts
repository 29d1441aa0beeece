// Run records for tests: realistic bodies and the envelope a writer would stamp. Pure TypeScript.
import type { InputItem, ServerEvent } from '../common/protocol/wire'
import type {
  RequestSentRecord,
  RunRecord,
  RunRecordBody,
  RunStartedRecord,
  ServerEventRecord,
  ToolFinishedRecord
} from '../common/run/records'
import { RUN_LOG_VERSION } from '../common/run/records'
import { WEATHER_TOOL } from './wire-events'

export const T0 = 1_767_225_600_000
export const STEP_MS = 10

/** Stamps bodies as the writer would: seq from `firstSeq`, ts `STEP_MS` apart from `firstTs`. */
export function stamp(bodies: readonly RunRecordBody[], firstSeq = 0, firstTs = T0): RunRecord[] {
  return bodies.map((body, index) => ({ v: RUN_LOG_VERSION, seq: firstSeq + index, ts: firstTs + index * STEP_MS, ...body }) as RunRecord)
}

export function tsOf(seq: number, firstTs = T0): number {
  return firstTs + seq * STEP_MS
}

export function runStarted(overrides: Partial<RunStartedRecord> = {}): RunStartedRecord {
  return {
    type: 'run.started',
    runId: 'run_20260101T000000Z_abc123',
    workspace: '/home/ada/src/weather-app',
    provider: { name: 'sim', baseUrl: 'ws://127.0.0.1:4010/v1/responses' },
    model: 'gpt-5.2',
    settings: {
      transport: 'ws',
      store: false,
      approvalMode: 'ask-risky',
      networkAllowlist: [],
      instructions: 'You are a terse assistant.'
    },
    tools: [WEATHER_TOOL],
    ...overrides
  }
}

export function userTask(text: string): InputItem {
  return { type: 'message', role: 'user', content: [{ type: 'input_text', text }] }
}

export function functionOutput(callId: string, output: string): InputItem {
  return { type: 'function_call_output', call_id: callId, output }
}

export function requestSent(
  turn: number,
  input: InputItem[],
  previousResponseId: string | null = null,
  bytes = 512
): RequestSentRecord {
  return {
    type: 'request.sent',
    turn,
    transport: 'ws',
    mode: previousResponseId === null ? 'full' : 'incremental',
    previousResponseId,
    input,
    bytes
  }
}

export function serverEvents(events: readonly ServerEvent[]): ServerEventRecord[] {
  return events.map((event) => ({ type: 'server.event', event }))
}

export function toolFinished(callId: string, output: string, overrides: Partial<ToolFinishedRecord> = {}): ToolFinishedRecord {
  return { type: 'tool.finished', callId, status: 'ok', exitCode: 0, output, durationMs: 42, artifactPath: null, ...overrides }
}
