// What the server remembers about a response: the context the model saw and what it answered.
// The next response's context is `contextAfter(parent)` plus the new input, exactly as the API
// defines continuation (instructions are not part of it: they are never inherited).
import type { InputItem, OutputItem, ResponseStatus } from '../../src-main/common/protocol/wire'
import type { CreateRequest } from '../protocol/create-request'
import type { WireResponse } from '../protocol/response-object'

export interface ResponseState {
  id: string
  request: CreateRequest
  context: InputItem[]
  output: OutputItem[]
  status: ResponseStatus
  response: WireResponse
}

export function contextAfter(state: ResponseState): InputItem[] {
  return [...state.context, ...(state.output as InputItem[])]
}

/** Responses kept with `store: true`: they survive connections and are readable over HTTP. */
export class ResponseStore {
  private readonly responses = new Map<string, ResponseState>()

  put(state: ResponseState): void {
    if (state.request.store) this.responses.set(state.id, state)
  }

  get(id: string): ResponseState | undefined {
    return this.responses.get(id)
  }

  /** True when `id` names a reasoning item of any stored response (for input items without encrypted content). */
  hasItem(id: string): boolean {
    for (const state of this.responses.values()) {
      if (state.output.some((item) => (item as { id?: string }).id === id)) return true
    }
    return false
  }
}
