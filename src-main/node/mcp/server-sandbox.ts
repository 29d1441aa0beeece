// How a stdio MCP server is launched: under the same bubblewrap spec as the shell (the workspace
// writable, everything else read-only, credentials and Tether's key files hidden, a private /tmp,
// no network), with a network allowlist only when its config names hosts, through the same
// filtering proxy the shell uses.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AllowlistProxy } from '../tools/sandbox/allowlist-proxy'
import { existingRealPaths, splitDirectoriesAndFiles } from '../tools/sandbox/existing-paths'
import { missingSandboxRequirement, type SandboxTools } from '../tools/sandbox/sandbox-requirements'
import { bwrapArgv, CONTROL_MOUNT } from '../tools/sandbox/sandbox-spec'
import { unixSocketFilter } from '../tools/sandbox/seccomp-filter'
import { protectWorkspace, type WorkspaceProtection } from '../tools/sandbox/workspace-protection'
import { shellEnvironment } from '../tools/shell/shell-env'
import type { StdioServerConfig } from './mcp-config'

const PROXY_PORT = 3128
const SECCOMP_FD = 9

export interface ServerSandboxOptions {
  workspace: string
  /** A directory of this server's own, outside the workspace: its /tmp and control files go there. */
  scratchDir: string
  readOnlyPaths: string[]
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
  const controlDir = join(options.scratchDir, 'control')
  const tempDir = join(options.scratchDir, 'tmp')
  mkdirSync(controlDir, { recursive: true, mode: 0o755 })
  mkdirSync(tempDir, { recursive: true, mode: 0o700 })
  const proxy = needsProxy ? await AllowlistProxy.listen(join(controlDir, 'proxy.sock'), server.allowedHosts) : null
  const protection = protectWorkspace(options.workspace)
  options.placeholders.push(...(protection.placeholders as never[]))
  const hidden = splitDirectoriesAndFiles(options.hiddenPaths)
  const command = proxy === null
    ? [server.command, ...server.args]
    : [
        '/bin/bash',
        '-c',
        `${options.tools.socatPath} TCP-LISTEN:${PROXY_PORT},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${CONTROL_MOUNT}/proxy.sock >/dev/null 2>&1 & ` +
          `for try in $(seq 200); do (: </dev/tcp/127.0.0.1/${PROXY_PORT}) 2>/dev/null && break; sleep 0.01; done; exec "$@"`,
        'tether-mcp',
        server.command,
        ...server.args
      ]
  // The allowlist proxy is reached over a Unix socket, so Unix sockets stay allowed with it.
  const filter = proxy === null ? unixSocketFilter() : null
  const argv = bwrapArgv({
    seccompFd: filter === null ? null : SECCOMP_FD,
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    cwd: options.workspace,
    command,
    mounts: {
      workspace: options.workspace,
      workspaceWritable: true,
      tempDir,
      controlDir,
      pinned: protection.pinned,
      readOnly: [...protection.readOnly, ...existingRealPaths(options.readOnlyPaths)],
      hiddenDirectories: hidden.directories,
      hiddenFiles: hidden.files
    }
  })
  const base = shellEnvironment(process.env, { tmpDir: '/tmp', cacheDir: '/tmp/.cache', proxyUrl: proxy === null ? null : `http://127.0.0.1:${PROXY_PORT}` })
  const { TERM: _term, PAGER: _pager, GIT_PAGER: _gitPager, ...env } = base
  const release = async (): Promise<void> => {
    await proxy?.close()
  }
  if (filter === null) return { command: options.tools.bwrapPath, args: argv, env: { ...env, ...server.env }, cwd: options.workspace, release }
  const filterPath = join(controlDir, 'seccomp.bpf')
  writeFileSync(filterPath, filter, { mode: 0o644 })
  return {
    command: '/bin/sh',
    args: ['-c', `exec ${SECCOMP_FD}<"$1" || exit 126; shift; exec "$@"`, 'tether-sandbox', filterPath, options.tools.bwrapPath, ...argv],
    env: { ...env, ...server.env },
    cwd: options.workspace,
    release
  }
}
