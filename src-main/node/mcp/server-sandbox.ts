// How a stdio MCP server is launched: under the same bubblewrap spec as the shell (the workspace
// writable with its git metadata protected, an empty home showing only the allowlisted toolchain
// folders and the server's own `readablePaths`, Tether's data dir hidden, a private /tmp, the command seccomp filter, no network), and,
// when its config names hosts, with the shell's two-layer arrangement: the forwarder to the
// filtering allowlist proxy in an outer layer, the server in an inner one.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AllowlistProxy } from '../tools/sandbox/allowlist-proxy'
import { existingRealPaths, resolvesThrough, splitDirectoriesAndFiles } from '../tools/sandbox/existing-paths'
import { homeMounts } from '../tools/sandbox/home-view'
import { missingSandboxRequirement, type SandboxTools } from '../tools/sandbox/sandbox-requirements'
import { bwrapArgv, CONTROL_MOUNT, innerSandboxArgv, type SandboxMounts } from '../tools/sandbox/sandbox-spec'
import { commandFilter, launcherFilter } from '../tools/sandbox/seccomp-filter'
import { protectWorkspace, type WorkspaceProtection } from '../tools/sandbox/workspace-protection'
import { shellEnvironment } from '../tools/shell/shell-env'
import type { StdioServerConfig } from './mcp-config'

const PROXY_PORT = 3128
const SECCOMP_FD = 9

export interface ServerSandboxOptions {
  workspace: string
  /** A directory of this server's own, outside the workspace: its /tmp and control files go there. */
  scratchDir: string
  /** Tether's data dir: hidden as a whole. */
  dataDir: string | null
  /** The home the sandbox replaces with an empty one, and the folders of it shown read-only. */
  home: string
  homeAllowlist: readonly string[]
  /** More paths that can be neither read nor written. */
  hiddenPaths: string[]
  tools: SandboxTools
  /**
   * Where the placeholder directories the sandbox needs are collected. They are shared by the
   * run's servers and removed together when the run's servers stop, never when one server does:
   * another may be starting on top of them.
   */
  placeholders: WorkspaceProtection['placeholders']
}

export interface ServerLaunch {
  command: string
  args: string[]
  env: Record<string, string>
  cwd: string
  /** Stops the proxy. */
  release(): Promise<void>
}

/**
 * Launches are prepared one at a time: protecting the workspace creates placeholder directories in
 * it, and two servers of a run starting together must not race to create the same one.
 */
let preparing: Promise<unknown> = Promise.resolve()

/** Builds the launch of one server process; throws (failing closed) when the sandbox cannot be used. */
export function sandboxedLaunch(server: StdioServerConfig, options: ServerSandboxOptions): Promise<ServerLaunch> {
  const next = preparing.then(() => prepareLaunch(server, options))
  preparing = next.catch(() => undefined)
  return next
}

async function prepareLaunch(server: StdioServerConfig, options: ServerSandboxOptions): Promise<ServerLaunch> {
  const needsProxy = server.allowedHosts.length > 0
  const missing = missingSandboxRequirement(options.tools, needsProxy)
  if (missing !== null) throw new Error(missing)
  const workspaces = [...new Set([options.workspace, ...existingRealPaths([options.workspace])])]
  const throughWorkspace = server.readablePaths.filter((path) => workspaces.some((workspace) => resolvesThrough(path, workspace)))
  if (throughWorkspace.length > 0) {
    throw new Error(`readablePaths may not lead into the workspace, which a run can change: ${throughWorkspace.join(', ')}`)
  }
  const commandProgram = commandFilter()
  const launcherProgram = launcherFilter()
  if (commandProgram === null || launcherProgram === null) throw new Error(`the OS sandbox has no seccomp filter for this processor (${process.arch}); MCP servers cannot run sandboxed here`)
  const controlDir = join(options.scratchDir, 'control')
  const tempDir = join(options.scratchDir, 'tmp')
  mkdirSync(controlDir, { recursive: true, mode: 0o755 })
  mkdirSync(tempDir, { recursive: true, mode: 0o700 })
  const writeFilter = (name: string, program: Buffer): string => {
    const path = join(controlDir, name)
    writeFileSync(path, program, { mode: 0o644 })
    return path
  }
  const proxy = needsProxy ? await AllowlistProxy.listen(join(controlDir, 'proxy.sock'), server.allowedHosts) : null
  const protection = protectWorkspace(options.workspace)
  options.placeholders.push(...(protection.placeholders as never[]))
  const hidden = splitDirectoriesAndFiles(options.hiddenPaths)
  const home = existingRealPaths([options.home])[0] ?? null
  const mounts: SandboxMounts = {
    workspace: options.workspace,
    workspaceWritable: true,
    tempDir,
    controlDir,
    home,
    homeMounts: home === null ? [] : homeMounts(home, options.homeAllowlist),
    readable: existingRealPaths(server.readablePaths),
    files: [],
    pinned: protection.pinned,
    readOnly: protection.readOnly,
    hiddenDirectories: [...existingRealPaths(options.dataDir === null ? [] : [options.dataDir]), ...hidden.directories],
    hiddenFiles: hidden.files
  }
  const uid = process.getuid?.() ?? 0
  const gid = process.getgid?.() ?? 0
  const command = [server.command, ...server.args]
  let argv: string[]
  let outerFilter: string
  if (proxy === null) {
    outerFilter = writeFilter('seccomp.bpf', commandProgram)
    argv = bwrapArgv({ seccompFd: SECCOMP_FD, uid, gid, cwd: options.workspace, command, mounts, hostsInnerSandbox: false })
  } else {
    // As for the shell: the forwarder needs a Unix socket, which the server may not have.
    outerFilter = writeFilter('launcher.bpf', launcherProgram)
    writeFilter('seccomp.bpf', commandProgram)
    const inner = innerSandboxArgv({ uid, gid, cwd: options.workspace, seccompFd: SECCOMP_FD, command })
    const forwarder = [
      '/bin/bash',
      '-c',
      `${options.tools.socatPath} TCP-LISTEN:${PROXY_PORT},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${CONTROL_MOUNT}/proxy.sock >/dev/null 2>&1 & ` +
        `for try in $(seq 200); do (: </dev/tcp/127.0.0.1/${PROXY_PORT}) 2>/dev/null && break; sleep 0.01; done; ` +
        `exec ${SECCOMP_FD}<${CONTROL_MOUNT}/seccomp.bpf || exit 126; exec "$@"`,
      'tether-mcp',
      options.tools.bwrapPath,
      ...inner
    ]
    argv = bwrapArgv({ seccompFd: SECCOMP_FD, uid, gid, cwd: options.workspace, command: forwarder, mounts, hostsInnerSandbox: true })
  }
  const base = shellEnvironment(process.env, { tmpDir: '/tmp', cacheDir: '/tmp/.cache', proxyUrl: proxy === null ? null : `http://127.0.0.1:${PROXY_PORT}` })
  const { TERM: _term, PAGER: _pager, GIT_PAGER: _gitPager, ...env } = base
  return {
    command: '/bin/sh',
    args: ['-c', `exec ${SECCOMP_FD}<"$1" || exit 126; shift; exec "$@"`, 'tether-sandbox', outerFilter, options.tools.bwrapPath, ...argv],
    // HOME names the home the sandbox replaced, whatever this process's own variable says.
    env: { ...env, HOME: options.home, ...server.env },
    cwd: options.workspace,
    release: async () => {
      await proxy?.close()
    }
  }
}
