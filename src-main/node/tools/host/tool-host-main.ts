// Entry of the tool host: a plain Node process (started with --no-node-snapshot) that owns the
// PTYs and the script runner, so neither node-pty nor isolated-vm is ever loaded by the app.
import { serveChannel } from '../channel/serve-channel'
import type { ToolHostChannel } from './host-protocol'
import { ToolHost } from './tool-host'

/** How long taking the runs down may take once the app is gone, before the host exits anyway. */
const SHUTDOWN_LIMIT_MS = 10_000

const host = new ToolHost()
// When the app is gone, every shell and process of every run goes down with the host. In a session
// of its own, nothing else would ever end a host whose shutdown hangs.
serveChannel<ToolHostChannel>(
  (request, context) => host.handle(request, context),
  () => {
    setTimeout(() => process.exit(0), SHUTDOWN_LIMIT_MS).unref()
    void host.shutdown().finally(() => process.exit(0))
  }
)
