import { describe, expect, it } from 'vitest'
import { CliError } from '../cli-error'
import { runSim } from './sim'

function io(): { stdout: string[]; stderr: string[]; controller: AbortController; firstLine: Promise<string>; handle: Parameters<typeof runSim>[1] } {
  const stdout: string[] = []
  const stderr: string[] = []
  const controller = new AbortController()
  let resolveLine: (line: string) => void = () => {}
  const firstLine = new Promise<string>((resolve) => (resolveLine = resolve))
  return {
    stdout,
    stderr,
    controller,
    firstLine,
    handle: {
      stdout: (text) => {
        stdout.push(text)
        resolveLine(stdout.join('').split('\n')[0] ?? '')
      },
      stderr: (text) => stderr.push(text),
      signal: controller.signal
    }
  }
}

describe('tether sim', () => {
  it('prints the base URL first, serves the scenario with faults, logs responses, and stops on abort', async () => {
    const { controller, firstLine, handle, stderr } = io()
    const running = runSim(['--scenario', 'parallel', '--fault', 'rate-limit@0', '--fault', 'sparse', '--latency-ms', '2', '--log', '--api-key', 'sk-local'], handle)
    const baseUrl = await firstLine
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/)
    const post = (): Promise<Response> =>
      fetch(`${baseUrl}/responses`, { method: 'POST', headers: { authorization: 'Bearer sk-local', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', input: 'go' }) })
    expect((await post()).status).toBe(429)
    const response = (await (await post()).json()) as { output: Array<{ type: string }> }
    expect(response.output.filter((item) => item.type === 'function_call')).toHaveLength(4)
    controller.abort()
    expect(await running).toBe(0)
    expect(stderr[0]).toBe('tether sim: scenario parallel, latency 2 ms, handshake 0 ms, faults rate-limit@0 sparse; Ctrl-C to stop\n')
    expect(stderr[1]).toMatch(/^http#\d+ resp_\S+ turn=0 completed input=1 full\n$/)
  })

  it('rejects bad flags with a usage error', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--fault', 'explode'], /unknown fault 'explode'/],
      [['--latency-ms', 'soon'], /--latency-ms needs a non-negative number/],
      [['--scenario', 'no-such-scenario'], /unknown scenario 'no-such-scenario'/],
      [['--port', '70000'], /--port needs an integer/],
      [['--render-cost-ms=-1'], /--render-cost-ms needs a non-negative number/],
      [['--bogus'], /Unknown option '--bogus'/],
      [['extra'], /unexpected argument 'extra'/]
    ]
    for (const [args, message] of cases) {
      const { handle } = io()
      await expect(runSim(args, handle)).rejects.toSatisfy((error: unknown) => error instanceof CliError && error.exitCode === 2 && message.test(error.message))
    }
  })

  it('lists the built-in scenarios', async () => {
    const { handle, stdout } = io()
    expect(await runSim(['--list'], handle)).toBe(0)
    expect(stdout.map((line) => line.split(' ')[0])).toEqual(['spec-to-pr', 'parallel', 'long-text', 'demo', 'read-only'])
  })
})
