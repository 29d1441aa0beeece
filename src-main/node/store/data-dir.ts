// Where Tether keeps its data. One folder, `TETHER_HOME` or the platform's usual place.
import { homedir } from 'node:os'
import { basename, dirname, join } from 'node:path'

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.TETHER_HOME) return env.TETHER_HOME
  const home = homedir()
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Tether')
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Tether')
    default:
      return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'tether')
  }
}

/** Files that hold API keys: hidden from the sandbox, since a 0600 file is still readable by the same user. */
export const KEY_FILES = { plain: 'keys.json', osEncrypted: 'keys.safe.json' } as const

/** The layout inside the data dir; every path Tether writes is named here. */
export class DataDir {
  readonly root: string
  constructor(root: string) {
    this.root = root
  }
  get runs(): string {
    return join(this.root, 'runs')
  }
  get runIndex(): string {
    return join(this.root, 'runs', 'index.json')
  }
  runLog(runId: string): string {
    return join(this.runs, `${runId}.jsonl`)
  }
  artifacts(runId: string): string {
    return join(this.runs, `${runId}.artifacts`)
  }
  /** Tether's own copies of workspaces: checkpoints and the before of the Changes view. */
  get snapshots(): string {
    return join(this.root, 'snapshots')
  }
  /**
   * Worktrees of `--worktree` runs: beside the data dir, not in it, since commands in the sandbox
   * cannot write inside the data dir (the demo's copies live beside it for the same reason).
   */
  get worktrees(): string {
    return join(dirname(this.root), `${basename(this.root)}-worktrees`)
  }
  get settings(): string {
    return join(this.root, 'settings.json')
  }
  get rules(): string {
    return join(this.root, 'rules')
  }
  /** Approvals of repositories' `.mcp.json` files, by the hash of the workspace path. */
  get mcpApprovals(): string {
    return join(this.root, 'mcp-approvals')
  }
}
