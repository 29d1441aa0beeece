import { describe, expect, it } from 'vitest'
import { OptionsError, parseBenchOptions } from './options'

const ALL = ['tether-ws', 'tether-sse', 'tether-sse-per-turn', 'sdk-http', 'sdk-ws', 'agents-ws']

describe('parseBenchOptions', () => {
  it('defaults to the full benchmark', () => {
    expect(parseBenchOptions([])).toEqual({
      json: false,
      scenario: 'spec-to-pr',
      instantModel: false,
      quick: false,
      repetitions: 5,
      warmups: 1,
      rttsMs: [0, 20, 80],
      handshakeMs: 30,
      clients: ALL,
      renderCostPerItemMs: 0.25,
      renderRttsMs: [20],
      renderRepetitions: 3,
      parts: ['transport', 'throughput'],
      save: true,
      redraw: false
    })
  })

  it('makes --quick the transport part alone, one repetition without warm-up or the render-cost variant, and lets flags override it', () => {
    expect(parseBenchOptions(['--quick'])).toMatchObject({ quick: true, repetitions: 1, warmups: 0, renderCostPerItemMs: 0, parts: ['transport'] })
    expect(parseBenchOptions(['--quick', '--repetitions', '3', '--render-cost-ms', '0.2'])).toMatchObject({ repetitions: 3, renderCostPerItemMs: 0.2 })
  })

  it('reads lists, clients in their canonical order, and the part to run', () => {
    expect(parseBenchOptions(['--rtt', '80,0,20,20', '--clients', 'sdk-ws,tether-ws', '--only', 'transport', '--json', '--no-save'])).toMatchObject({
      rttsMs: [0, 20, 80],
      clients: ['tether-ws', 'sdk-ws'],
      parts: ['transport'],
      json: true,
      save: false
    })
  })

  it('plays the read-only scenario on request, at once when asked, and refuses other scenarios', () => {
    expect(parseBenchOptions(['--scenario', 'read-only', '--instant-model'])).toMatchObject({ scenario: 'read-only', instantModel: true })
    expect(() => parseBenchOptions(['--scenario', 'demo'])).toThrow(new OptionsError("--scenario takes spec-to-pr or read-only, got 'demo'"))
  })

  it('returns null for --help', () => {
    expect(parseBenchOptions(['--help'])).toBeNull()
  })

  it('refuses bad input with a message naming the flag', () => {
    const problems = [
      ['--repetitions', '0'],
      ['--rtt', '10,-5'],
      ['--handshake-ms', 'abc'],
      ['--clients', 'tether-ws,curl'],
      ['--only', 'everything'],
      ['--frobnicate']
    ].map((args) => {
      try {
        parseBenchOptions(args)
        return 'accepted'
      } catch (error) {
        return error instanceof OptionsError ? error.message : `unexpected ${String(error)}`
      }
    })
    expect(problems).toEqual([
      "--repetitions needs a whole number of at least 1, got '0'",
      "--rtt needs a non-negative number of milliseconds, got '-5'",
      "--handshake-ms needs a non-negative number of milliseconds, got 'abc'",
      'unknown client curl (choose from tether-ws, tether-sse, tether-sse-per-turn, sdk-http, sdk-ws, agents-ws)',
      "--only takes transport or throughput, got 'everything'",
      expect.stringContaining("Unknown option '--frobnicate'")
    ])
  })
})
