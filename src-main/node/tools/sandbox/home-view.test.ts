import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { removeScratch, scratchDir } from '../../../test-support/tools/scratch'
import { homeMounts, invalidHomeAllowlistEntries } from './home-view'

const root = scratchDir('home-view')
afterAll(() => removeScratch(root))

describe('the home a sandbox sees', () => {
  test('only listed folders that exist are shown; a symlink to elsewhere in the home is not', () => {
    const home = join(root, 'home')
    mkdirSync(join(home, '.cargo', 'bin'), { recursive: true })
    mkdirSync(join(home, '.ssh'), { recursive: true })
    mkdirSync(join(home, '.local'), { recursive: true })
    writeFileSync(join(home, '.cargo', 'credentials.toml'), 'token = "x"\n')
    symlinkSync(join(home, '.ssh'), join(home, '.local', 'bin'))
    mkdirSync(join(root, 'elsewhere', 'pyenv'), { recursive: true })
    symlinkSync(join(root, 'elsewhere', 'pyenv'), join(home, '.pyenv'))
    expect(homeMounts(home, ['.cargo/bin', '.local/bin', '~/.pyenv', '.rustup'])).toEqual([
      { source: join(home, '.cargo', 'bin'), target: join(home, '.cargo', 'bin') },
      { source: join(root, 'elsewhere', 'pyenv'), target: join(home, '.pyenv') }
    ])
  })

  test('entries must be folders inside the home', () => {
    expect(invalidHomeAllowlistEntries(['.cargo/bin', '~/.nvm', '/etc', '../other', '', '.', 'a/../../b'])).toEqual([
      "'/etc' is not a folder inside the home directory (write it like .cargo/bin or ~/.cargo/bin)",
      "'../other' is not a folder inside the home directory (write it like .cargo/bin or ~/.cargo/bin)",
      "'' is not a folder inside the home directory (write it like .cargo/bin or ~/.cargo/bin)",
      "'.' is not a folder inside the home directory (write it like .cargo/bin or ~/.cargo/bin)",
      "'a/../../b' is not a folder inside the home directory (write it like .cargo/bin or ~/.cargo/bin)"
    ])
  })
})
