// The settings MCP servers run with unless a caller says otherwise: the shell's sandbox (an empty
// home showing only the allowlisted toolchain folders, Tether's data dir hidden) and bounded waits.
import { homedir, tmpdir } from 'node:os'
import { DEFAULT_BACKOFF } from '../driver/backoff'
import { DEFAULT_HOME_ALLOWLIST } from '../tools/sandbox/home-view'
import { DEFAULT_SANDBOX_TOOLS } from '../tools/sandbox/sandbox-requirements'
import type { McpServersOptions } from './mcp-servers'

export const MCP_CALL_TIMEOUT_MS = 120_000
export const MCP_START_TIMEOUT_MS = 30_000

export function defaultMcpOptions(workspace: string, dataDir: string, reservedNames: Iterable<string>, homeAllowlist: readonly string[] = DEFAULT_HOME_ALLOWLIST): McpServersOptions {
  return {
    workspace,
    scratchDir: tmpdir(),
    sandbox: { dataDir, home: homedir(), homeAllowlist, hiddenPaths: [], tools: DEFAULT_SANDBOX_TOOLS },
    reservedNames: new Set(reservedNames),
    callTimeoutMs: MCP_CALL_TIMEOUT_MS,
    clientVersion: '0.1.0',
    startTimeoutMs: MCP_START_TIMEOUT_MS,
    backoff: { ...DEFAULT_BACKOFF, baseMs: 500, capMs: 30_000 },
    maxRestarts: 5,
    maxMessageBytes: 8 * 1024 * 1024
  }
}
