// The offline demo: the built-in sim with its `demo` scenario, on a fresh copy of the sample repo,
// so a person without an API key sees streaming, tool calls, an approval and a saved run at once.
import { cp, mkdir, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { DataDir } from '../store/data-dir'
import { git, initGitRepository } from '../git/git-runner'
import { HostError } from './host-error'

export const DEMO_PROVIDER_LABEL = 'sim'
/** What the demo's runs name as their model: nothing pretends to be a real one. */
export const DEMO_MODEL = 'scripted-demo'
export const DEMO_FALLBACK_TASK = 'Look around this sample repository and tell me what it does.'

/** A model server for the demo, running in this process on 127.0.0.1. */
export interface DemoModel {
  baseUrl: string
  apiKey: string
  /** The task the scripted scenario answers. */
  task: string
  close(): Promise<void>
}

export async function sampleRepoExists(resourcesDir: string): Promise<boolean> {
  try {
    return (await stat(join(resourcesDir, 'sample-repo'))).isDirectory()
  } catch {
    return false
  }
}

/**
 * Where demo copies go: next to the data dir, not inside it. The data dir is Tether's own data,
 * read-only to commands and guarded by the policy, so a workspace there could not be worked on.
 */
export function demoParentDir(dataDir: DataDir): string {
  return join(dirname(dataDir.root), `${basename(dataDir.root)}-demo`)
}

/** Copies the sample repo into `parent` and makes it a git repo with one commit. */
export async function prepareDemoWorkspace(resourcesDir: string, parent: string, now = new Date()): Promise<string> {
  if (!(await sampleRepoExists(resourcesDir))) throw new HostError('unavailable', 'the sample repository is missing from this build')
  const stamp = now.toISOString().replace(/[-:.]/g, '').slice(0, 15)
  await mkdir(parent, { recursive: true })
  let workspace = join(parent, `sample-repo-${stamp}`)
  for (let n = 2; await stat(workspace).then(() => true, () => false); n++) workspace = join(parent, `sample-repo-${stamp}-${n}`)
  await cp(join(resourcesDir, 'sample-repo'), workspace, { recursive: true })
  const author = {
    GIT_AUTHOR_NAME: 'Tether demo',
    GIT_AUTHOR_EMAIL: 'demo@tether.invalid',
    GIT_COMMITTER_NAME: 'Tether demo',
    GIT_COMMITTER_EMAIL: 'demo@tether.invalid'
  }
  const repo = await initGitRepository(workspace, 'main')
  await git(repo, ['add', '-A'])
  await git(repo, ['commit', '-q', '-m', 'Sample repository for the Tether demo'], { env: author })
  return workspace
}
