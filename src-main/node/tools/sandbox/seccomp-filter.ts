// The sandbox's seccomp programs (classic BPF, the format bubblewrap's --seccomp reads).
//
// Network: the sandbox has its own network namespace (loopback only), so what is left to close
// is what a namespace does not cover. Unix sockets reach host services through socket files on
// the read-only host file system (docker, agents, D-Bus), so socket(AF_UNIX) is refused; only
// IPv4, IPv6 and netlink sockets can be made at all (AF_VSOCK would reach the VM host, the
// others are kernel attack surface). io_uring is refused outright: its operations create and
// connect sockets without the socket() call this filter judges. socketpair() stays allowed: it
// cannot reach anything outside the process tree.
//
// Other calls a build or a test never needs and an escape often does: kernel keyrings (the
// person's keys), BPF, perf, userfaultfd, module and kexec loading, file handles, terminal input
// injection (TIOCSTI, TIOCLINUX), mount changes and the rest of the usual container deny list.
//
// Two programs: `commandFilter` for what runs the model's commands, and `launcherFilter` for the
// outer layer of a sandbox whose network goes through the allowlist proxy. There the proxy
// forwarder needs a Unix socket and an inner bubblewrap needs to mount, so the outer layer keeps
// both while the inner one, where commands run, gets `commandFilter` stacked on top.

const BPF_LD_W_ABS = 0x20
const BPF_JEQ_K = 0x15
const BPF_JGE_K = 0x35
const BPF_RET_K = 0x06
const SECCOMP_RET_ALLOW = 0x7fff0000
const SECCOMP_RET_ERRNO = 0x00050000
const EPERM = 1
const EAFNOSUPPORT = 97
const X32_SYSCALL_BIT = 0x40000000

export const AF_UNIX = 1
const ALLOWED_FAMILIES_BESIDES_UNIX = [2 /* AF_INET */, 10 /* AF_INET6 */, 16 /* AF_NETLINK */]
const TIOCSTI = 0x5412
const TIOCLINUX = 0x541c

type SyscallName =
  | 'io_uring_setup' | 'io_uring_enter' | 'io_uring_register' | 'userfaultfd' | 'bpf' | 'perf_event_open' | 'keyctl' | 'add_key'
  | 'request_key' | 'kexec_load' | 'kexec_file_load' | 'init_module' | 'finit_module' | 'delete_module' | 'open_by_handle_at'
  | 'name_to_handle_at' | 'acct' | 'swapon' | 'swapoff' | 'reboot' | 'syslog' | 'quotactl' | 'vhangup' | 'lookup_dcookie'
  | 'nfsservctl' | 'mount' | 'umount2' | 'pivot_root' | 'fsopen' | 'fsconfig' | 'fsmount' | 'fspick' | 'open_tree' | 'move_mount'
  | 'socket' | 'ioctl'

interface Architecture {
  audit: number
  syscalls: Record<SyscallName, number>
  /** x86-64 also accepts x32 system calls (numbers with bit 30 set); those are refused outright. */
  refuseX32: boolean
}

const SHARED_NUMBERS = { io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, open_tree: 428, move_mount: 429, fsopen: 430, fsconfig: 431, fsmount: 432, fspick: 433 }

const ARCHITECTURES: Partial<Record<NodeJS.Architecture, Architecture>> = {
  x64: {
    audit: 0xc000003e,
    refuseX32: true,
    syscalls: {
      ...SHARED_NUMBERS,
      userfaultfd: 323, bpf: 321, perf_event_open: 298, keyctl: 250, add_key: 248, request_key: 249, kexec_load: 246, kexec_file_load: 320,
      init_module: 175, finit_module: 313, delete_module: 176, open_by_handle_at: 304, name_to_handle_at: 303, acct: 163, swapon: 167,
      swapoff: 168, reboot: 169, syslog: 103, quotactl: 179, vhangup: 153, lookup_dcookie: 212, nfsservctl: 180, mount: 165, umount2: 166,
      pivot_root: 155, socket: 41, ioctl: 16
    }
  },
  arm64: {
    audit: 0xc00000b7,
    refuseX32: false,
    syscalls: {
      ...SHARED_NUMBERS,
      userfaultfd: 282, bpf: 280, perf_event_open: 241, keyctl: 219, add_key: 217, request_key: 218, kexec_load: 104, kexec_file_load: 294,
      init_module: 105, finit_module: 273, delete_module: 106, open_by_handle_at: 265, name_to_handle_at: 264, acct: 89, swapon: 224,
      swapoff: 225, reboot: 142, syslog: 116, quotactl: 60, vhangup: 58, lookup_dcookie: 18, nfsservctl: 42, mount: 40, umount2: 39,
      pivot_root: 41, socket: 198, ioctl: 29
    }
  }
}

/** Refused in every layer. */
export const ALWAYS_REFUSED: readonly SyscallName[] = [
  'io_uring_setup', 'io_uring_enter', 'io_uring_register', 'userfaultfd', 'bpf', 'perf_event_open', 'keyctl', 'add_key', 'request_key',
  'kexec_load', 'kexec_file_load', 'init_module', 'finit_module', 'delete_module', 'open_by_handle_at', 'name_to_handle_at', 'acct',
  'swapon', 'swapoff', 'reboot', 'syslog', 'quotactl', 'vhangup', 'lookup_dcookie', 'nfsservctl'
]

/** Refused where commands run; the launcher layer needs them to build the inner sandbox. */
export const MOUNT_CALLS: readonly SyscallName[] = ['mount', 'umount2', 'pivot_root', 'fsopen', 'fsconfig', 'fsmount', 'fspick', 'open_tree', 'move_mount']

type Jump = number | 'allow' | 'deny' | 'unsupported'
type Step = { code: number; k: number; jt?: Jump; jf?: Jump } | { label: 'allow' | 'deny' | 'unsupported' }

/** Assembles steps whose jumps name a label (or a relative offset) into bytes. */
function assemble(steps: Step[]): Buffer {
  const labels = new Map<string, number>()
  steps.forEach((step, index) => {
    if ('label' in step) labels.set(step.label, index)
  })
  const bytes = Buffer.alloc(steps.length * 8)
  steps.forEach((step, index) => {
    const resolve = (jump: Jump | undefined): number => {
      if (jump === undefined) return 0
      if (typeof jump === 'number') return jump
      const offset = (labels.get(jump) as number) - index - 1
      if (offset < 0 || offset > 255) throw new Error(`seccomp jump out of range: ${offset}`)
      return offset
    }
    const instruction = 'label' in step ? { code: BPF_RET_K, k: returnValue(step.label) } : step
    bytes.writeUInt16LE(instruction.code, index * 8)
    bytes.writeUInt8('label' in step ? 0 : resolve(step.jt), index * 8 + 2)
    bytes.writeUInt8('label' in step ? 0 : resolve(step.jf), index * 8 + 3)
    bytes.writeUInt32LE(instruction.k >>> 0, index * 8 + 4)
  })
  return bytes
}

function returnValue(label: 'allow' | 'deny' | 'unsupported'): number {
  switch (label) {
    case 'allow':
      return SECCOMP_RET_ALLOW
    case 'deny':
      return SECCOMP_RET_ERRNO | EPERM
    case 'unsupported':
      return SECCOMP_RET_ERRNO | EAFNOSUPPORT
  }
}

interface FilterOptions {
  allowUnixSockets: boolean
  allowMounts: boolean
}

function buildFilter(arch: NodeJS.Architecture, options: FilterOptions): Buffer | null {
  const architecture = ARCHITECTURES[arch]
  if (architecture === undefined) return null
  const { syscalls } = architecture
  const refused = [...ALWAYS_REFUSED, ...(options.allowMounts ? [] : MOUNT_CALLS)]
  // Offsets into struct seccomp_data: nr at 0, arch at 4, args[0] (low half) at 16, args[1] at 24.
  const steps: Step[] = [
    { code: BPF_LD_W_ABS, k: 4 },
    { code: BPF_JEQ_K, k: architecture.audit, jt: 0, jf: 'deny' },
    { code: BPF_LD_W_ABS, k: 0 }
  ]
  if (architecture.refuseX32) steps.push({ code: BPF_JGE_K, k: X32_SYSCALL_BIT, jt: 'deny', jf: 0 })
  for (const name of refused) steps.push({ code: BPF_JEQ_K, k: syscalls[name], jt: 'deny', jf: 0 })
  const familyChecks: Step[] = [{ code: BPF_LD_W_ABS, k: 16 }]
  for (const family of options.allowUnixSockets ? [AF_UNIX, ...ALLOWED_FAMILIES_BESIDES_UNIX] : ALLOWED_FAMILIES_BESIDES_UNIX) {
    familyChecks.push({ code: BPF_JEQ_K, k: family, jt: 'allow', jf: 0 })
  }
  familyChecks.push({ code: BPF_JEQ_K, k: AF_UNIX, jt: 'deny', jf: 'unsupported' })
  const ioctlChecks: Step[] = [
    { code: BPF_LD_W_ABS, k: 24 },
    { code: BPF_JEQ_K, k: TIOCSTI, jt: 'deny', jf: 0 },
    { code: BPF_JEQ_K, k: TIOCLINUX, jt: 'deny', jf: 'allow' }
  ]
  // socket -> family checks; ioctl -> request checks; anything else is allowed.
  steps.push({ code: BPF_JEQ_K, k: syscalls.socket, jt: 2, jf: 0 })
  steps.push({ code: BPF_JEQ_K, k: syscalls.ioctl, jt: familyChecks.length + 1, jf: 0 })
  steps.push({ code: BPF_RET_K, k: SECCOMP_RET_ALLOW })
  steps.push(...familyChecks, ...ioctlChecks, { label: 'allow' }, { label: 'deny' }, { label: 'unsupported' })
  return assemble(steps)
}

/** The filter where the model's commands run; null when this architecture is not supported. */
export function commandFilter(arch: NodeJS.Architecture = process.arch): Buffer | null {
  return buildFilter(arch, { allowUnixSockets: false, allowMounts: false })
}

/** The outer layer of a proxied sandbox: Unix sockets (the proxy forwarder) and mounts (the inner sandbox) stay allowed. */
export function launcherFilter(arch: NodeJS.Architecture = process.arch): Buffer | null {
  return buildFilter(arch, { allowUnixSockets: true, allowMounts: true })
}
