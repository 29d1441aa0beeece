import type { ApprovalMode, Transport } from '../../common/run/records'
import type { ReasoningSettings } from '../../common/providers/reasoning'
import type { ToolRuntime } from '../tools/tool-runtime'
import type { BackoffPolicy } from './backoff'
import { DEFAULT_BACKOFF } from './backoff'
import type { Provider } from './provider'
import type { SseTransportOptions } from './sse-transport'
import type { ToolGate } from './tool-gate'
import type { WsTransportOptions } from './ws-transport'

export interface RecoveryPolicy {
  /** Consecutive failed attempts (drops, refusals, failed responses) before the run gives up. */
  maxAttempts: number
  /** Consecutive WebSocket failures before the rest of the run goes over HTTP + SSE. */
  wsFailuresBeforeFallback: number
  /** Open a new socket between turns once the current one is this old (the server's limit is 60 min). */
  rotateAfterMs: number
  /** A server asking for a longer wait than this ends the run with its reason instead. */
  maxServerDelayMs: number
  backoff: BackoffPolicy
}

export const DEFAULT_RECOVERY: RecoveryPolicy = {
  maxAttempts: 6,
  wsFailuresBeforeFallback: 3,
  rotateAfterMs: 55 * 60_000,
  maxServerDelayMs: 60_000,
  backoff: DEFAULT_BACKOFF
}

export const DEFAULT_INSTRUCTIONS = [
  'You are Tether, a coding agent working in a local repository on the person\'s machine.',
  'Use the tools to inspect and change the repository; shell commands run in a sandbox whose',
  'working directory is the repository root. Keep changes focused, run the tests, and end with a',
  'short summary of what you changed and why.'
].join(' ')

export interface RunDriverOptions {
  provider: Provider
  /** How the provider is named in the run log (no key): `openai`, `xai`, `custom`, `sim`. */
  providerLabel?: string
  model: string
  transport: Transport
  store: boolean
  instructions: string
  /** What a new run asks of a reasoning model; a resumed run keeps what its log says. */
  reasoning?: ReasoningSettings
  approvalMode: ApprovalMode
  networkAllowlist: string[]
  /** Run commands outside the OS sandbox; every command then asks. */
  unsandboxed: boolean
  tools: ToolRuntime
  gate: ToolGate
  recovery?: Partial<RecoveryPolicy>
  ws?: Partial<WsTransportOptions>
  sse?: Partial<SseTransportOptions>
}
