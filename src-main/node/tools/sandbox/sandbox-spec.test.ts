import { describe, expect, test } from 'vitest'
import { bwrapArgv } from './sandbox-spec'
import { unixSocketFilter } from './seccomp-filter'

describe('bwrapArgv', () => {
  test('renders the whole policy, in mount order', () => {
    expect(
      bwrapArgv({
        uid: 1000,
        gid: 100,
        cwd: '/home/p/repo',
        seccompFd: 9,
        command: ['/bin/bash', '-i'],
        mounts: {
          workspace: '/home/p/repo',
          workspaceWritable: true,
          tempDir: '/tmp/tether-run/tmp',
          controlDir: '/tmp/tether-run/control',
          pinned: ['/home/p/repo/.git'],
          readOnly: ['/home/p/repo/.git/hooks', '/home/p/repo/.git/config', '/home/p/.local/share/tether'],
          hiddenDirectories: ['/home/p/.ssh'],
          hiddenFiles: ['/home/p/.netrc']
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
      '--ro-bind',
      '/home/p/.local/share/tether',
      '/home/p/.local/share/tether',
      '--tmpfs',
      '/home/p/.ssh',
      '--remount-ro',
      '/home/p/.ssh',
      '--ro-bind',
      '/dev/null',
      '/home/p/.netrc',
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
      command: ['node'],
      mounts: { workspace: '/w', workspaceWritable: false, tempDir: null, controlDir: null, pinned: [], readOnly: [], hiddenDirectories: [], hiddenFiles: [] }
    })
    expect(args.slice(args.indexOf('/run') + 1)).toEqual(['--tmpfs', '/tmp', '--ro-bind', '/w', '/w', '--cap-drop', 'ALL', '--chdir', '/w', '--', 'node'])
  })
})

describe('unixSocketFilter', () => {
  test('is a classic BPF program for the supported architectures only', () => {
    const x64 = unixSocketFilter('x64')
    expect(x64?.length).toBe(11 * 8)
    // The last instruction allows, the one before it refuses with EPERM.
    expect(x64?.readUInt32LE(10 * 8 + 4)).toBe(0x7fff0000)
    expect(x64?.readUInt32LE(9 * 8 + 4)).toBe(0x00050001)
    expect(unixSocketFilter('arm64')?.readUInt32LE(1 * 8 + 4)).toBe(0xc00000b7)
    expect(unixSocketFilter('ia32')).toBeNull()
  })
})
