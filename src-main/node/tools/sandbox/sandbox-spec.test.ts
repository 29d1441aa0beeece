import { describe, expect, test } from 'vitest'
import { bwrapArgv, innerSandboxArgv } from './sandbox-spec'

describe('bwrapArgv', () => {
  test('renders the whole policy, in mount order', () => {
    expect(
      bwrapArgv({
        uid: 1000,
        gid: 100,
        cwd: '/home/p/repo',
        seccompFd: 9,
        hostsInnerSandbox: false,
        command: ['/bin/bash', '-i'],
        mounts: {
          workspace: '/home/p/repo',
          workspaceWritable: true,
          tempDir: '/tmp/tether-run/tmp',
          controlDir: '/tmp/tether-run/control',
          home: '/home/p',
          homeMounts: [{ source: '/opt/rustup', target: '/home/p/.rustup' }],
          readable: ['/srv/mcp/notes', '/home/p/tools'],
          files: [{ source: '/tmp/tether-run/control/gitconfig', target: '/home/p/.gitconfig' }],
          pinned: ['/home/p/repo/.git'],
          readOnly: ['/home/p/repo/.git/hooks', '/home/p/repo/.git/config'],
          hiddenDirectories: ['/home/p/.local/share/tether'],
          hiddenFiles: ['/srv/token.json']
        }
      })
    ).toEqual([
      '--die-with-parent',
      '--unshare-user',
      '--uid',
      '1000',
      '--gid',
      '100',
      '--disable-userns',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--unshare-cgroup-try',
      '--unshare-net',
      '--hostname',
      'tether-sandbox',
      '--ro-bind',
      '/',
      '/',
      '--dev',
      '/dev',
      '--proc',
      '/proc',
      '--tmpfs',
      '/run',
      '--ro-bind',
      '/tmp/tether-run/control',
      '/run/tether',
      '--bind',
      '/tmp/tether-run/tmp',
      '/tmp',
      '--ro-bind',
      '/srv/mcp/notes',
      '/srv/mcp/notes',
      '--tmpfs',
      '/home/p',
      '--ro-bind',
      '/opt/rustup',
      '/home/p/.rustup',
      '--ro-bind',
      '/home/p/tools',
      '/home/p/tools',
      '--ro-bind',
      '/tmp/tether-run/control/gitconfig',
      '/home/p/.gitconfig',
      '--bind',
      '/home/p/repo',
      '/home/p/repo',
      '--bind',
      '/home/p/repo/.git',
      '/home/p/repo/.git',
      '--ro-bind',
      '/home/p/repo/.git/hooks',
      '/home/p/repo/.git/hooks',
      '--ro-bind',
      '/home/p/repo/.git/config',
      '/home/p/repo/.git/config',
      '--tmpfs',
      '/home/p/.local/share/tether',
      '--remount-ro',
      '/home/p/.local/share/tether',
      '--ro-bind',
      '/dev/null',
      '/srv/token.json',
      '--seccomp',
      '9',
      '--cap-drop',
      'ALL',
      '--chdir',
      '/home/p/repo',
      '--',
      '/bin/bash',
      '-i'
    ])
  })

  test('a read-only workspace with an empty /tmp and no control dir (the script runner)', () => {
    const args = bwrapArgv({
      uid: 0,
      gid: 0,
      cwd: '/w',
      seccompFd: null,
      hostsInnerSandbox: false,
      command: ['node'],
      mounts: { workspace: '/w', workspaceWritable: false, tempDir: null, controlDir: null, home: null, homeMounts: [], files: [], pinned: [], readOnly: [], hiddenDirectories: [], hiddenFiles: [] }
    })
    expect(args.slice(args.indexOf('/run') + 1)).toEqual(['--tmpfs', '/tmp', '--ro-bind', '/w', '/w', '--cap-drop', 'ALL', '--chdir', '/w', '--', 'node'])
  })
})

describe('the two layers of a sandbox with a network allowlist', () => {
  test('the outer layer may make the inner one: no --disable-userns, capabilities kept inside its own namespace', () => {
    const outer = bwrapArgv({
      uid: 1000,
      gid: 100,
      cwd: '/w',
      seccompFd: 9,
      hostsInnerSandbox: true,
      command: ['/bin/sh'],
      mounts: { workspace: '/w', workspaceWritable: true, tempDir: null, controlDir: null, home: null, homeMounts: [], files: [], pinned: [], readOnly: [], hiddenDirectories: [], hiddenFiles: [] }
    })
    expect([outer.includes('--disable-userns'), outer.includes('--cap-drop'), outer.includes('--unshare-net')]).toEqual([false, false, true])
  })

  test('the inner layer: a user namespace of its own, no more of them, no capabilities, the command filter', () => {
    expect(innerSandboxArgv({ uid: 1000, gid: 100, cwd: '/w', seccompFd: 9, command: ['/bin/bash', '-i'] })).toEqual([
      '--die-with-parent',
      '--unshare-user',
      '--disable-userns',
      '--uid',
      '1000',
      '--gid',
      '100',
      '--bind',
      '/',
      '/',
      '--dev-bind',
      '/dev',
      '/dev',
      '--seccomp',
      '9',
      '--cap-drop',
      'ALL',
      '--chdir',
      '/w',
      '--',
      '/bin/bash',
      '-i'
    ])
  })
})
