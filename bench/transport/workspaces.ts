// Fresh copies of the sample repository: the scenario edits files and runs `git status`, so every
// run starts from the same committed tree. The git repo is made once and copied per run.
import { execFileSync } from 'node:child_process'
import { cp, mkdir } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

const GIT_IDENTITY = { GIT_AUTHOR_NAME: 'Tether bench', GIT_AUTHOR_EMAIL: 'bench@tether.invalid', GIT_COMMITTER_NAME: 'Tether bench', GIT_COMMITTER_EMAIL: 'bench@tether.invalid' }

function git(cwd: string, args: string[]): void {
  execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], { cwd, env: { ...process.env, ...GIT_IDENTITY }, stdio: 'ignore' })
}

/** The project's resources folder, found from wherever this code runs (sources or out/main). */
export function findResourcesDir(from: string = import.meta.dirname): string {
  for (let directory = from; ; directory = dirname(directory)) {
    const candidate = join(directory, 'resources')
    if (existsSync(join(candidate, 'sample-repo'))) return candidate
    if (dirname(directory) === directory) throw new Error(`cannot find resources/sample-repo above ${from}`)
  }
}

export class SampleWorkspaces {
  #template: string
  #root: string
  #count = 0

  private constructor(template: string, root: string) {
    this.#template = template
    this.#root = root
  }

  static async create(root: string, resourcesDir: string = findResourcesDir()): Promise<SampleWorkspaces> {
    const template = join(root, 'template')
    await cp(join(resourcesDir, 'sample-repo'), template, { recursive: true })
    git(template, ['init', '-q', '-b', 'main'])
    git(template, ['add', '-A'])
    git(template, ['commit', '-q', '-m', 'Sample repository'])
    return new SampleWorkspaces(template, root)
  }

  /** Where every run's data dir goes: read-only inside the sandbox, so never inside a workspace. */
  get dataRoot(): string {
    return join(this.#root, 'data')
  }

  /** A copy of the repo for one run, and an empty data dir beside it. */
  async next(): Promise<{ workspace: string; dataDir: string }> {
    const run = String(++this.#count)
    const workspace = join(this.#root, 'workspaces', run)
    const dataDir = join(this.dataRoot, run)
    await mkdir(dataDir, { recursive: true })
    await cp(this.#template, workspace, { recursive: true })
    return { workspace, dataDir }
  }
}
