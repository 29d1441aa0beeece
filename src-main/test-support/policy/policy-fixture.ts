// A throwaway home with a repository in it, for the policy tests. The home is fake so that
// "deletes the home directory" is judged against a known path, and nothing here is ever run.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DataDir } from '../../node/store/data-dir'
import { loadBashParser, type BashParser } from '../../node/policy/bash-parser'
import { defaultPathEnvironment, type PathEnvironment } from '../../node/policy/path-scope'

export interface PolicyFixture {
  base: string
  home: string
  workspace: string
  scratch: string
  dataDir: DataDir
  environment: PathEnvironment
  parser: BashParser
  /** Replaces @WS@, @HOME@ and @SCRATCH@ with the fixture's paths. */
  expand: (text: string) => string
  remove: () => void
}

export async function createPolicyFixture(): Promise<PolicyFixture> {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'tether-policy-')))
  const home = join(base, 'home', 'user')
  const workspace = join(home, 'repo')
  const scratch = join(base, 'scratch')
  for (const dir of [join(workspace, '.git', 'hooks'), join(workspace, 'src'), join(workspace, 'build'), join(home, 'other-project'), scratch]) {
    mkdirSync(dir, { recursive: true })
  }
  writeFileSync(join(workspace, 'README.md'), '# repo\n')
  writeFileSync(join(workspace, '.git', 'config'), '[core]\n')
  symlinkSync('/', join(workspace, 'link-to-root'))
  symlinkSync(home, join(workspace, 'link-home'))
  const dataDir = new DataDir(join(base, 'data'))
  const environment = defaultPathEnvironment({ workspace, home, dataDir: dataDir.root, tempDirs: [scratch] })
  const parser = await loadBashParser()
  return {
    base,
    home,
    workspace,
    scratch,
    dataDir,
    environment,
    parser,
    expand: (text) => text.replaceAll('@WS@', workspace).replaceAll('@HOME@', home).replaceAll('@SCRATCH@', scratch),
    remove: () => rmSync(base, { recursive: true, force: true })
  }
}
