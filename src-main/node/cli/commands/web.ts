import { parseArgs } from 'node:util'
import { findAppPaths } from '../../host/app-paths'
import { RemoteBindRefused, startBrowserServer } from '../../host/browser/browser-server'
import { composeHost } from '../../host/compose'
import { FileKeyStore } from '../../host/key-store'
import { CliError, EXIT_USAGE } from '../cli-error'

const HELP = `usage: tether web [--port N] [--host ADDRESS] [--allow-remote]

Serves the Tether app to a browser on this machine. The first line printed is the address to
open; it carries a secret token that changes at every launch. Stop with Ctrl+C.

  --port N          port to listen on (default: a free one)
  --host ADDRESS    address to bind (default 127.0.0.1)
  --allow-remote    permit a non-loopback address: anyone who can reach it and has the link
                    can run commands in your repositories; traffic is not encrypted

API keys come from OPENAI_API_KEY, XAI_API_KEY or TETHER_API_KEY, or from Settings (saved in
keys.json in the data dir, readable only by you). Data dir: TETHER_HOME or the platform default.`

function portOf(value: string | undefined): number {
  if (value === undefined) return 0
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port needs a port number, got '${value}'`, EXIT_USAGE)
  return port
}

export async function webCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'allow-remote': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help) {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  const port = portOf(values.port)
  const rendererDir = findAppPaths().renderer
  const host = await composeHost({ kind: 'browser', keys: (dataDir) => new FileKeyStore(dataDir.root) })
  let server
  try {
    server = await startBrowserServer(host, {
      bindHost: values.host ?? '127.0.0.1',
      port,
      allowRemote: values['allow-remote'] === true,
      rendererDir
    })
  } catch (error) {
    await host.close()
    if (error instanceof RemoteBindRefused) throw new CliError(error.message, EXIT_USAGE)
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CliError(`port ${port} is in use`)
    throw error
  }
  process.stdout.write(`${server.url}\n`)
  if (values['allow-remote']) {
    process.stderr.write('warning: browser mode is reachable from other machines; anyone with the link can run commands in your repositories, and nothing is encrypted\n')
  }
  process.stdout.write(`Tether is serving browser mode from ${host.options.dataDir.root}; open the address above. Ctrl+C stops.\n`)
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  await server.close()
  await host.close()
  return 0
}
