// A run's tools with a listener told of every call before it runs, for tests that check when (and
// whether) calls reach the tools.
import type { ToolCallRequest, ToolRuntime } from '../../node/tools/tool-runtime'

export function observedTools(inner: ToolRuntime, beforeExecute: (request: ToolCallRequest) => void): ToolRuntime {
  return {
    registry: inner.registry,
    openRun: (context) => inner.openRun(context),
    execute: (request, observer) => {
      beforeExecute(request)
      return inner.execute(request, observer)
    },
    closeRun: (runId) => inner.closeRun(runId),
    close: () => inner.close()
  }
}
