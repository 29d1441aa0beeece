// Entry of the tool host: a plain Node process (started with --no-node-snapshot) that owns the
// PTYs and the script runner, so neither node-pty nor isolated-vm is ever loaded by the app.
import type { HostEvent, HostRequest } from './host-protocol'
import { ToolHost } from './tool-host'

function send(event: HostEvent): void {
  if (process.connected) process.send?.(event)
}

const host = new ToolHost(send)
process.on('message', (request: HostRequest) => host.handle(request))
// The app is gone: take every shell and process of every run down with us.
process.on('disconnect', () => {
  void host.shutdown().finally(() => process.exit(0))
})
send({ type: 'ready', pid: process.pid })
