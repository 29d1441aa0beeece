// A seccomp program (classic BPF, the format bubblewrap's --seccomp reads) that makes
// socket(AF_UNIX, ...) fail with EPERM. Host services listen on Unix sockets (docker, ssh and
// gpg agents, D-Bus); most live in /run and /tmp, which the sandbox replaces, but a socket file
// anywhere else on the read-only host file system could still be connected to. socketpair() stays
// allowed: it cannot reach anything outside the process tree.

const BPF_LD_W_ABS = 0x20
const BPF_JEQ_K = 0x15
const BPF_JGE_K = 0x35
const BPF_RET_K = 0x06
const SECCOMP_RET_ALLOW = 0x7fff0000
const SECCOMP_RET_ERRNO = 0x00050000
const EPERM = 1
const AF_UNIX = 1
const X32_SYSCALL_BIT = 0x40000000

interface Architecture {
  audit: number
  socket: number
  /** x86-64 also accepts x32 system calls (numbers with bit 30 set); those are refused outright. */
  refuseX32: boolean
}

const ARCHITECTURES: Partial<Record<NodeJS.Architecture, Architecture>> = {
  x64: { audit: 0xc000003e, socket: 41, refuseX32: true },
  arm64: { audit: 0xc00000b7, socket: 198, refuseX32: false }
}

type Instruction = [code: number, jumpTrue: number, jumpFalse: number, k: number]

/** The filter for `arch`, or null when this architecture is not supported. */
export function unixSocketFilter(arch: NodeJS.Architecture = process.arch): Buffer | null {
  const architecture = ARCHITECTURES[arch]
  if (architecture === undefined) return null
  const deny = SECCOMP_RET_ERRNO | EPERM
  // Offsets into struct seccomp_data: nr at 0, arch at 4, args[0] (low half) at 16.
  const program: Instruction[] = [
    [BPF_LD_W_ABS, 0, 0, 4],
    [BPF_JEQ_K, 1, 0, architecture.audit],
    [BPF_RET_K, 0, 0, deny],
    [BPF_LD_W_ABS, 0, 0, 0],
    [BPF_JGE_K, architecture.refuseX32 ? 0 : 1, 1, X32_SYSCALL_BIT],
    [BPF_RET_K, 0, 0, deny],
    [BPF_JEQ_K, 0, 3, architecture.socket],
    [BPF_LD_W_ABS, 0, 0, 16],
    [BPF_JEQ_K, 0, 1, AF_UNIX],
    [BPF_RET_K, 0, 0, deny],
    [BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW]
  ]
  const bytes = Buffer.alloc(program.length * 8)
  program.forEach(([code, jumpTrue, jumpFalse, k], index) => {
    bytes.writeUInt16LE(code, index * 8)
    bytes.writeUInt8(jumpTrue, index * 8 + 2)
    bytes.writeUInt8(jumpFalse, index * 8 + 3)
    bytes.writeUInt32LE(k >>> 0, index * 8 + 4)
  })
  return bytes
}
