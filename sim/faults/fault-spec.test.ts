import { describe, expect, it } from 'vitest'
import { formatFault, parseFault, parseFaults } from './fault-spec'

describe('fault specs', () => {
  it('parses every documented form and formats it back', () => {
    const specs = ['drop-once:0', 'drop-every:12', 'close:1011@3', 'close:4000@0', 'error@7', 'failed@2', 'stall:250@4', 'sparse', 'evict', 'no-websocket', 'upgrade-429:3', 'rate-limit@1', 'rate-limit:5@2', 'quota@0', 'no-pong']
    expect(parseFaults(specs).map(formatFault)).toEqual(specs)
    expect(parseFault('close:1011@3')).toEqual({ ok: true, fault: { kind: 'close', code: 1011, at: 3 } })
    expect(parseFault(' drop-once:5 ')).toEqual({ ok: true, fault: { kind: 'drop', every: false, at: 5 } })
  })

  it('explains what is wrong with a bad spec', () => {
    expect(parseFault('close:1006@2')).toEqual({ ok: false, message: "fault 'close:1006@2': close code 1006 cannot be sent (use 1000-1003, 1007-1014 or 3000-4999; drop-once gives 1006)" })
    expect(parseFault('drop:3')).toEqual({
      ok: false,
      message:
        "unknown fault 'drop:3'; expected one of: drop-once:N, drop-every:N, close:CODE@N, error@N, failed@N, stall:MS@N, sparse, evict, no-websocket, upgrade-429:SECONDS, rate-limit@R, quota@R, no-pong"
    })
    expect(() => parseFaults(['error@x', 'stall:5', 'sparse'])).toThrow(/fault 'error@x'.*; unknown fault 'stall:5'/)
    expect(parseFault('drop-once:-1').ok).toBe(false)
    expect(parseFault('drop-once:01').ok).toBe(false)
  })
})
