// A child that serves the child channel for its tests: it echoes, reports progress, fails,
// waits until cancelled, or dies, as each request asks.
import { serveChannel } from '../../node/tools/channel/serve-channel'
import type { EchoChannel } from './echo-channel-types'

serveChannel<EchoChannel>(async (request, { progress, signal }) => {
  switch (request.kind) {
    case 'echo':
      for (let index = 0; index < request.progress; index++) progress(`${request.text} ${index}`)
      return { text: request.text }
    case 'fail':
      throw new Error(`refused: ${request.reason}`)
    case 'wait-for-cancel':
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
      return { text: 'cancelled' }
    case 'die':
      process.stderr.write('about to die\n')
      process.exit(request.code)
  }
})
