// The Electron host: `window.tether`, exposed by the preload with one named function per method.
import type { TetherBridge } from '../../../src-main/common/api/bridge-wire'
import type { ApiReply, MethodName, ParamsOf, ResultOf } from '../../../src-main/common/api/contract'
import { ApiCallError, type TetherClient } from './client'

export function ipcClient(bridge: TetherBridge): TetherClient {
  const client: TetherClient = {
    async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
      const invoke = bridge[method] as (params: ParamsOf<M>) => Promise<ApiReply<ResultOf<M>>>
      const reply = await invoke(params)
      if (!reply.ok) throw new ApiCallError(reply.error)
      return reply.result
    },
    onEvent: (listener) => bridge.onEvent(listener),
    onLink(listener) {
      listener({ kind: 'connected' })
      return () => undefined
    },
    async openLink(url) {
      await client.call('openExternal', { url })
    }
  }
  return client
}
