// The one interface the UI talks to. Which host is behind it (Electron IPC or the browser-mode
// WebSocket) is decided once, at start, and nowhere else.
import type { ApiError, HostEvent, MethodName, ParamsOf, ResultOf } from '../../../src-main/common/api/contract'

/** The link between this page and its host; Electron's IPC is always `connected`. */
export type LinkState =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'reconnecting'; attempt: number }
  | { kind: 'unauthorized'; message: string }

export interface TetherClient {
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>
  onEvent(listener: (event: HostEvent) => void): () => void
  onLink(listener: (state: LinkState) => void): () => void
  /** Opens an https link: through the OS in Electron, in a new tab in a browser. */
  openLink(url: string): Promise<void>
}

export class ApiCallError extends Error {
  readonly code: ApiError['code']
  constructor(error: ApiError) {
    super(error.message)
    this.code = error.code
  }
}
