import type { McpServerInfo, RunSettings, SettingsChange } from '../../common/run/records'
import type { ToolRuntime } from '../tools/tool-runtime'
import type { BackoffPolicy } from './backoff'
import type { CompactionMethod } from './compaction'
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

/**
 * What a person chose for a run: recorded when it starts (`run.started`), and changed only by the
 * person when they resume it (`run.resumed`).
 */
export type RunChoices = RunSettings & { model: string }

/** What the host wires up for a run's driver: never recorded, never chosen by the model. */
export interface DriverServices {
  provider: Provider
  /** How the provider is named in the run log (no key): `openai`, `xai`, `custom`, `sim`. */
  providerLabel?: string
  /** The host runs commands outside the OS sandbox (the person's app-wide setting); every command then asks. */
  unsandboxed: boolean
  tools: ToolRuntime
  /** The run's MCP servers and what could not be used of their configs, recorded with the run's settings. */
  mcp?: { servers: McpServerInfo[]; problems: string[] } | null
  gate: ToolGate
  /** The model's context window in tokens; by default from the model table (none known: compaction only when the server refuses a request as too long). */
  contextWindow?: number | null
  /** How the context is compacted; by default the provider's own way where it has one, else a summarising request. */
  compaction?: CompactionMethod
  /** Keep checkpoints of the workspace around calls that may change it (default: yes). */
  checkpoints?: boolean
  recovery?: Partial<RecoveryPolicy>
  ws?: Partial<WsTransportOptions>
  sse?: Partial<SseTransportOptions>
}

/** The entries of `changes` that differ from what the run holds now: what a resume applies. */
export function changedSettings(settings: RunSettings, model: string | null, changes: SettingsChange): SettingsChange {
  const current: SettingsChange = { ...settings, ...(model === null ? {} : { model }) }
  const differs = (key: keyof SettingsChange): boolean => changes[key] !== undefined && JSON.stringify(changes[key]) !== JSON.stringify(current[key])
  return Object.fromEntries(Object.entries(changes).filter(([key]) => differs(key as keyof SettingsChange)))
}
