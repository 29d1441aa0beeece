// The settings MCP servers run with unless a caller says otherwise: the same hidden and read-only
// paths as the shell's sandbox, and bounded waits.
import { homedir, tmpdir } from 'node:os'
import { DEFAULT_BACKOFF } from '../driver/backoff'
import { dataDirSecrets, defaultHiddenPaths } from '../tools/sandbox/hidden-paths'
import { DEFAULT_SANDBOX_TOOLS } from '../tools/sandbox/sandbox-requirements'
import type { McpServersOptions } from './mcp-servers'

export const MCP_CALL_TIMEOUT_MS = 120_000
export const MCP_START_TIMEOUT_MS = 30_000

export function defaultMcpOptions(workspace: string, dataDir: string, reservedNames: Iterable<string>): McpServersOptions {
  return {
    workspace,
    scratchDir: tmpdir(),
    sandbox: { readOnlyPaths: [dataDir], hiddenPaths: [...defaultHiddenPaths(homedir()), ...dataDirSecrets(dataDir)], tools: DEFAULT_SANDBOX_TOOLS },
    reservedNames: new Set(reservedNames),
    callTimeoutMs: MCP_CALL_TIMEOUT_MS,
    clientVersion: '0.1.0',
    startTimeoutMs: MCP_START_TIMEOUT_MS,
    backoff: { ...DEFAULT_BACKOFF, baseMs: 500, capMs: 30_000 },
    maxRestarts: 5,
    maxMessageBytes: 8 * 1024 * 1024
  }
}
