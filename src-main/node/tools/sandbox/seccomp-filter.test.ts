// The seccomp programs read back by a small classic-BPF interpreter, call by call, for every
// architecture Tether builds them for. The escape catalogue (sandbox-escapes.test.ts) checks the
// same rules by their effect on real system calls.
import { describe, expect, test } from 'vitest'
import { ALWAYS_REFUSED, commandFilter, launcherFilter, MOUNT_CALLS } from './seccomp-filter'

const AUDIT = { x64: 0xc000003e, arm64: 0xc00000b7 } as const
const NUMBERS = {
  x64: { read: 0, socket: 41, ioctl: 16, io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, keyctl: 250, bpf: 321, userfaultfd: 323, mount: 165, open_tree: 428 },
  arm64: { read: 63, socket: 198, ioctl: 29, io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, keyctl: 219, bpf: 280, userfaultfd: 282, mount: 40, open_tree: 428 }
} as const

type Verdict = 'allow' | `errno ${number}`

/** Runs a classic BPF seccomp program on one call. */
function run(program: Buffer, call: { arch: number; nr: number; args?: number[] }): Verdict {
  const data = Buffer.alloc(64)
  data.writeUInt32LE(call.nr >>> 0, 0)
  data.writeUInt32LE(call.arch >>> 0, 4)
  ;(call.args ?? []).forEach((value, index) => data.writeUInt32LE(value >>> 0, 16 + index * 8))
  let accumulator = 0
  for (let pc = 0; pc < program.length / 8; pc++) {
    const code = program.readUInt16LE(pc * 8)
    const jt = program.readUInt8(pc * 8 + 2)
    const jf = program.readUInt8(pc * 8 + 3)
    const k = program.readUInt32LE(pc * 8 + 4)
    switch (code) {
      case 0x20:
        accumulator = data.readUInt32LE(k)
        break
      case 0x15:
        pc += accumulator === k ? jt : jf
        break
      case 0x35:
        pc += accumulator >= k ? jt : jf
        break
      case 0x06:
        return (k & 0xffff0000) >>> 0 === 0x7fff0000 ? 'allow' : `errno ${k & 0xffff}`
      default:
        throw new Error(`unexpected instruction ${code}`)
    }
  }
  throw new Error('the program fell off its end')
}

describe.each(['x64', 'arm64'] as const)('seccomp programs on %s', (arch) => {
  const command = commandFilter(arch) as Buffer
  const launcher = launcherFilter(arch) as Buffer
  const n = NUMBERS[arch]
  const call = (nr: number, args: number[] = []) => ({ arch: AUDIT[arch], nr, args })

  test('io_uring, keyrings, BPF and userfaultfd are refused in both layers; ordinary calls pass', () => {
    for (const program of [command, launcher]) {
      expect([n.io_uring_setup, n.io_uring_enter, n.io_uring_register, n.keyctl, n.bpf, n.userfaultfd].map((nr) => run(program, call(nr)))).toEqual(Array(6).fill('errno 1'))
      expect(run(program, call(n.read))).toBe('allow')
    }
    expect(ALWAYS_REFUSED).toEqual(expect.arrayContaining(['io_uring_setup', 'io_uring_enter', 'io_uring_register']))
  })

  test('sockets: IP and netlink only; Unix sockets only in the launcher layer; anything else is unsupported', () => {
    const families = { unix: 1, inet: 2, inet6: 10, netlink: 16, packet: 17, vsock: 40, bluetooth: 31 }
    const verdicts = (program: Buffer) => Object.fromEntries(Object.entries(families).map(([name, family]) => [name, run(program, call(n.socket, [family]))]))
    expect(verdicts(command)).toEqual({ unix: 'errno 1', inet: 'allow', inet6: 'allow', netlink: 'allow', packet: 'errno 97', vsock: 'errno 97', bluetooth: 'errno 97' })
    expect(verdicts(launcher)).toEqual({ unix: 'allow', inet: 'allow', inet6: 'allow', netlink: 'allow', packet: 'errno 97', vsock: 'errno 97', bluetooth: 'errno 97' })
  })

  test('terminal input injection is refused, other ioctls pass', () => {
    expect([0x5412, 0x541c, 0x5401].map((request) => run(command, call(n.ioctl, [0, request])))).toEqual(['errno 1', 'errno 1', 'allow'])
  })

  test('mounts are refused where commands run, allowed where the inner sandbox is built', () => {
    expect(MOUNT_CALLS).toContain('mount')
    expect([run(command, call(n.mount)), run(command, call(n.open_tree))]).toEqual(['errno 1', 'errno 1'])
    expect([run(launcher, call(n.mount)), run(launcher, call(n.open_tree))]).toEqual(['allow', 'allow'])
  })

  test('another architecture, and on x86-64 the x32 calls, are refused outright', () => {
    const other = arch === 'x64' ? AUDIT.arm64 : AUDIT.x64
    expect(run(command, { arch: other, nr: n.read })).toBe('errno 1')
    expect(run(command, { arch: 0x40000003, nr: 3 })).toBe('errno 1')
    if (arch === 'x64') expect(run(command, call(0x40000000 + n.read))).toBe('errno 1')
  })
})

test('unsupported architectures get no program, so the sandbox refuses to start rather than run unfiltered', () => {
  expect(commandFilter('ia32')).toBeNull()
  expect(launcherFilter('ia32')).toBeNull()
})
