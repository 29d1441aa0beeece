// Entry of the tool host: a plain Node process (started with --no-node-snapshot) that owns the
// PTYs and the script runner, so neither node-pty nor isolated-vm is ever loaded by the app.
import { serveChannel } from '../channel/serve-channel'
import type { ToolHostChannel } from './host-protocol'
import { ToolHost } from './tool-host'

const host = new ToolHost()
// When the app is gone, every shell and process of every run goes down with the host.
serveChannel<ToolHostChannel>(
  (request, context) => host.handle(request, context),
  () => void host.shutdown().finally(() => process.exit(0))
)
