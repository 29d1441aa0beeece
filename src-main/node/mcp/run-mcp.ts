// What MCP a run gets: the person's own servers (always) and the repository's `.mcp.json` (only
// when the person approved its exact content, or allowed it for this run), started before the
// run's first request, with everything that could not be used said in the run's settings.
import type { McpServerInfo } from '../../common/run/records'
import type { ToolRuntime } from '../tools/tool-runtime'
import { mergeMcpConfigs, type ParsedMcpConfig } from './mcp-config'
import { defaultMcpOptions } from './mcp-defaults'
import { McpServers, type McpServersOptions } from './mcp-servers'
import { McpToolRuntime } from './mcp-tool-runtime'
import type { ProjectMcp } from './project-mcp'

export interface RunMcpSources {
  personal: ParsedMcpConfig
  project: ProjectMcp
  /** `tether run --allow-project-mcp`: use the workspace's file for this run without a saved approval. */
  allowProject: boolean
}

export interface RunMcp {
  tools: ToolRuntime
  /** For the run's settings; null when there was nothing to report. */
  report: { servers: McpServerInfo[]; problems: string[] } | null
}

export function projectConfigFor(project: ProjectMcp, allowProject: boolean): { config: ParsedMcpConfig | null; problems: string[] } {
  switch (project.state) {
    case 'absent':
      return { config: null, problems: [] }
    case 'unusable':
      return { config: null, problems: [project.problem] }
    case 'found':
      if (project.approved || allowProject) return { config: project.config, problems: [] }
      return {
        config: null,
        problems: [
          `${project.path} is not used: the person has not approved it. It would start ${project.summary.length} server(s): ${project.summary.join('; ')}. ` +
            'Approve it in the app, or pass --allow-project-mcp to tether run.'
        ]
      }
    default:
      return project satisfies never
  }
}

export async function startRunMcp(
  base: ToolRuntime,
  sources: RunMcpSources,
  context: { workspace: string; dataDir: string; homeAllowlist?: readonly string[]; options?: Partial<McpServersOptions> }
): Promise<RunMcp> {
  const project = projectConfigFor(sources.project, sources.allowProject)
  const merged = mergeMcpConfigs(sources.personal, project.config)
  const problems = [...project.problems, ...merged.problems]
  if (merged.servers.length === 0) return { tools: base, report: problems.length === 0 ? null : { servers: [], problems } }
  const reserved = base.registry.names
  const servers = await McpServers.start(merged.servers, { ...defaultMcpOptions(context.workspace, context.dataDir, reserved, context.homeAllowlist), ...context.options })
  return { tools: new McpToolRuntime(base, servers), report: { servers: servers.infos, problems } }
}
