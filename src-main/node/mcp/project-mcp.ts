// The repository's `.mcp.json`: hostile input until the person approves it. It is read bounded
// and never through a link; nothing in it starts until the person has seen every command and URL
// it names and approved them. The approval is kept in Tether's data dir (never in the
// repository), bound to the SHA-256 of the exact bytes approved: a changed file asks again.
import { createHash } from 'node:crypto'
import { mkdir, readFile, realpath, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { readBounded } from '../project/bounded-read'
import { describeServer, parseMcpConfig, type ParsedMcpConfig } from './mcp-config'

export const PROJECT_MCP_FILE = '.mcp.json'
export const PROJECT_MCP_MAX_BYTES = 256 * 1024

export type ProjectMcp =
  | { state: 'absent' }
  /** Present but unusable: a link, too large, not JSON, ... */
  | { state: 'unusable'; path: string; problem: string }
  | { state: 'found'; path: string; sha256: string; config: ParsedMcpConfig; approved: boolean; summary: string[] }

const approvalFile = z.strictObject({ version: z.literal(1), workspace: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), approvedAt: z.string() })

export class ProjectMcpApprovals {
  readonly directory: string

  constructor(directory: string) {
    this.directory = directory
  }

  async #pathFor(workspace: string): Promise<string> {
    const real = await realpath(workspace).catch(() => workspace)
    return join(this.directory, `${createHash('sha256').update(real).digest('hex')}.json`)
  }

  async approvedHash(workspace: string): Promise<string | null> {
    try {
      const parsed = approvalFile.safeParse(JSON.parse(await readFile(await this.#pathFor(workspace), 'utf8')))
      return parsed.success ? parsed.data.sha256 : null
    } catch {
      return null
    }
  }

  async approve(workspace: string, sha256: string, now = new Date()): Promise<void> {
    const path = await this.#pathFor(workspace)
    await mkdir(this.directory, { recursive: true, mode: 0o700 })
    const temporary = `${path}.${process.pid}.tmp`
    await writeFile(temporary, `${JSON.stringify({ version: 1, workspace, sha256, approvedAt: now.toISOString() })}\n`, { mode: 0o600 })
    await rename(temporary, path)
  }

  /** Reads the workspace's file and says whether its exact content is approved. */
  async read(workspace: string): Promise<ProjectMcp> {
    const path = join(workspace, PROJECT_MCP_FILE)
    const read = await readBounded(path, PROJECT_MCP_MAX_BYTES)
    if (read.kind === 'absent') return { state: 'absent' }
    if (read.kind === 'refused') return { state: 'unusable', path, problem: `${read.reason}; it is not read` }
    if (read.truncated) return { state: 'unusable', path, problem: `${path} is larger than ${PROJECT_MCP_MAX_BYTES / 1024} KiB; it is not used` }
    const sha256 = createHash('sha256').update(read.bytes).digest('hex')
    const config = parseMcpConfig(read.bytes.toString('utf8'), 'workspace', path)
    if (config.servers.length === 0 && config.problems.length > 0) return { state: 'unusable', path, problem: config.problems.join('; ') }
    const approved = (await this.approvedHash(workspace)) === sha256
    return { state: 'found', path, sha256, config, approved, summary: config.servers.map(describeServer) }
  }
}
