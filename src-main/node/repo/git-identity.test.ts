import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../../test-support/temp-dir'
import { commitIdentity } from './git-identity'

const tempDir = useTempDirs('tether-identity-')

describe('the identity a commit is made with', () => {
  it("prefers the environment, then the person's global git config, and leaves it to the repository when nothing is known", async () => {
    const home = await tempDir()
    expect(await commitIdentity({ GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.invalid', GIT_COMMITTER_NAME: 'C' }, home)).toEqual({
      GIT_AUTHOR_NAME: 'A',
      GIT_AUTHOR_EMAIL: 'a@example.invalid',
      GIT_COMMITTER_NAME: 'C',
      GIT_COMMITTER_EMAIL: 'a@example.invalid'
    })
    expect(await commitIdentity({}, home)).toEqual({})
    writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = Ada Lovelace\n\temail = ada@example.invalid\n')
    expect(await commitIdentity({}, home)).toEqual({
      GIT_AUTHOR_NAME: 'Ada Lovelace',
      GIT_AUTHOR_EMAIL: 'ada@example.invalid',
      GIT_COMMITTER_NAME: 'Ada Lovelace',
      GIT_COMMITTER_EMAIL: 'ada@example.invalid'
    })
  })
})
