import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EchoChannel } from '../../../test-support/children/echo-channel-types'
import { bundleForNode } from '../../../test-support/node-bundle'
import { ChildChannel, ChildExitedError } from './child-channel'

let folder = ''
let entry = ''

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tether-channel-'))
  entry = await bundleForNode('src-main/test-support/children/echo-channel.ts', folder)
}, 120_000)

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

const start = (): Promise<ChildChannel<EchoChannel>> =>
  ChildChannel.start<EchoChannel>({ name: 'the echo child', file: process.execPath, args: [entry], env: { PATH: process.env.PATH ?? '' }, startTimeoutMs: 60_000 })

describe('the child channel', () => {
  it('answers each request under its own number, with its progress, side by side', async () => {
    const channel = await start()
    try {
      const progress: Record<string, string[]> = { a: [], b: [] }
      const [a, b] = await Promise.all([
        channel.request({ kind: 'echo', text: 'a', progress: 3 }, { onProgress: (line) => progress.a!.push(line) }),
        channel.request({ kind: 'echo', text: 'b', progress: 1 }, { onProgress: (line) => progress.b!.push(line) })
      ])
      expect({ a, b, progress }).toEqual({ a: { text: 'a' }, b: { text: 'b' }, progress: { a: ['a 0', 'a 1', 'a 2'], b: ['b 0'] } })
    } finally {
      await channel.close(5_000)
    }
  })

  it("turns the child's failure into an error for that request only, and cancels by the request's signal", async () => {
    const channel = await start()
    try {
      await expect(channel.request({ kind: 'fail', reason: 'no' })).rejects.toThrow('refused: no')
      const controller = new AbortController()
      const waiting = channel.request({ kind: 'wait-for-cancel' }, { signal: controller.signal })
      controller.abort()
      expect(await waiting).toEqual({ text: 'cancelled' })
      expect(await channel.request({ kind: 'echo', text: 'still here', progress: 0 })).toEqual({ text: 'still here' })
    } finally {
      await channel.close(5_000)
    }
  })

  it('fails every request in flight when the child dies, with how it ended and the end of its stderr', async () => {
    const channel = await start()
    const waiting = channel.request({ kind: 'wait-for-cancel' })
    const dying = channel.request({ kind: 'die', code: 3 })
    for (const request of [waiting, dying]) {
      const error: unknown = await request.catch((reason: unknown) => reason)
      expect(error).toBeInstanceOf(ChildExitedError)
      expect((error as ChildExitedError).message).toBe('the echo child stopped unexpectedly (exit code 3): about to die')
      expect((error as ChildExitedError).exit).toEqual({ code: 3, signal: null, stderrTail: 'about to die\n' })
    }
    expect(channel.alive).toBe(false)
    await expect(channel.request({ kind: 'echo', text: 'x', progress: 0 })).rejects.toThrow('the echo child is not running (exit code 3)')
  })

  it('says why a child could not start', async () => {
    await expect(ChildChannel.start({ name: 'the missing child', file: '/nonexistent/node', args: [], env: {}, startTimeoutMs: 60_000 })).rejects.toThrow(
      /^the missing child could not be started with \/nonexistent\/node: spawn \/nonexistent\/node ENOENT/
    )
    await expect(ChildChannel.start({ name: 'the silent child', file: process.execPath, args: ['-e', 'process.exit(5)'], env: {}, startTimeoutMs: 60_000 })).rejects.toThrow(
      'the silent child exited during start-up (exit code 5)'
    )
  })
})
