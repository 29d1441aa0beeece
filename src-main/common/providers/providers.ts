// Providers as data: one row per provider, read by the CLI, the app, the sim and the README. What
// differs between servers that speak the Responses protocol lives here, not in `if` statements.
import type { ReasoningSummary } from './reasoning'

export const PROVIDER_NAMES = ['openai', 'xai', 'custom'] as const
export type ProviderName = (typeof PROVIDER_NAMES)[number]

/** How a server writes an error body over HTTP. */
export type ErrorBodyShape =
  /** `{ "error": { "type", "code", "message", "param" } }` */
  | 'openai'
  /** `{ "code": "<gRPC status text>", "error": "<message>" }` */
  | 'xai'

export interface ProviderProfile {
  name: ProviderName
  label: string
  /** The Responses API base URL; null when the person gives one (`--base-url`). */
  baseUrl: string | null
  /** Where the key comes from; `fallbackKeyVariable` is tried when it is unset. */
  keyVariable: string
  fallbackKeyVariable: string | null
  defaultModel: string
  /** Models the app suggests for the model field; any other name is passed through. */
  models: readonly string[]
  /** What a `response.create` with `previous_response_id` may carry besides the new input. */
  continuation: { instructions: boolean }
  errorBody: ErrorBodyShape
  /** `wss://…/responses`; without it, Tether goes straight to HTTP + SSE. */
  websocket: boolean
  /** `response.steer` mid-response (model-dependent where true: a refusal turns it off for the run). */
  steering: boolean
  /** `context_management: [{ type: "compaction" }]` inside a normal response. */
  serverCompaction: boolean
  /** The reasoning summary asked for when the person chose none. */
  defaultReasoningSummary: ReasoningSummary
  /** Where the facts in this row come from. */
  docs: readonly string[]
}

export const PROVIDERS: Readonly<Record<ProviderName, ProviderProfile>> = {
  openai: {
    name: 'openai',
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    keyVariable: 'OPENAI_API_KEY',
    fallbackKeyVariable: null,
    defaultModel: 'gpt-5.2',
    models: ['gpt-5.2', 'gpt-5.2-codex', 'gpt-5-mini', 'gpt-5-nano'],
    // `instructions` is not inherited from the previous response (SDK field doc), so every turn resends it.
    continuation: { instructions: true },
    errorBody: 'openai',
    websocket: true,
    steering: true,
    serverCompaction: true,
    // As Codex does: reasoning models stream a summary the person can open.
    defaultReasoningSummary: 'auto',
    docs: [
      'https://developers.openai.com/api/docs/guides/websocket-mode',
      'https://developers.openai.com/api/docs/guides/steering',
      'https://platform.openai.com/docs/guides/error-codes'
    ]
  },
  xai: {
    name: 'xai',
    label: 'xAI',
    baseUrl: 'https://api.x.ai/v1',
    keyVariable: 'XAI_API_KEY',
    fallbackKeyVariable: null,
    defaultModel: 'grok-4.20-reasoning',
    models: ['grok-4.20-reasoning', 'grok-4.20-non-reasoning', 'grok-4.3', 'grok-code-fast-1'],
    // xAI's create-response reference: `instructions` "Cannot be used with previous_response_id"
    // (as quoted by @langchain/xai, XAIResponsesCreateParams). A continuation carries only input,
    // tools and settings; the instructions live in the response it continues.
    continuation: { instructions: false },
    // `{ "code": "Client specified an invalid argument", "error": "…" }` (vercel/ai,
    // packages/xai/src/xai-error.ts and its test).
    errorBody: 'xai',
    // https://docs.x.ai/developers/advanced-api-usage/websocket-mode: `wss://api.x.ai/v1/responses`,
    // `response.create` = the create body minus `stream`/`background`, works with `store: false`.
    websocket: true,
    // Neither page documents `response.steer`; input waits for the next turn.
    steering: false,
    // xAI documents only the standalone `POST /v1/responses/compact`, not `context_management`.
    serverCompaction: false,
    // xAI's reasoning models stream their summary unasked (sim/recorded). grok-4.20 models reject
    // `reasoning.effort` (vercel/ai, packages/xai/src/supports-reasoning-effort.ts), so Tether asks
    // for an effort only when the person chose one; a rejection names itself as an invalid request.
    defaultReasoningSummary: 'none',
    docs: [
      'https://docs.x.ai/developers/advanced-api-usage/websocket-mode',
      'https://docs.x.ai/developers/model-capabilities/text/comparison',
      'https://reference.langchain.com/javascript/langchain-xai/XAIResponsesCreateParams'
    ]
  },
  custom: {
    name: 'custom',
    label: 'Other Responses-compatible server',
    baseUrl: null,
    keyVariable: 'TETHER_API_KEY',
    fallbackKeyVariable: 'OPENAI_API_KEY',
    defaultModel: 'gpt-5.2',
    models: [],
    continuation: { instructions: true },
    errorBody: 'openai',
    // Tried first; a 426 or repeated failures move the run to HTTP + SSE.
    websocket: true,
    steering: true,
    serverCompaction: false,
    // Unknown servers may reject a field they do not know; the person can ask with --reasoning-summary.
    defaultReasoningSummary: 'none',
    docs: []
  }
}

/** The provider a run uses when the person names none and gives no base URL. */
export const DEFAULT_PROVIDER: ProviderName = 'openai'

export function isProviderName(name: unknown): name is ProviderName {
  return typeof name === 'string' && (PROVIDER_NAMES as readonly string[]).includes(name)
}

export function providerProfile(name: ProviderName): ProviderProfile {
  return PROVIDERS[name]
}

/** The model a run uses when the person names none. */
export function defaultModelOf(name: ProviderName): string {
  return PROVIDERS[name].defaultModel
}
