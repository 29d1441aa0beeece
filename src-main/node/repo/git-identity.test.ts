import { describe, expect, it } from 'vitest'
import { commitIdentity, userOfConfig } from './git-identity'

describe('the identity a commit is made with', () => {
  it('reads user.name and user.email from git config text, the last value winning', () => {
    const text = '[core]\n\tname = not-this\n[user]\n\tname = Ada\n\temail = "ada@example.invalid" ; work\n[user "x"]\n[User]\n\tname = Ada Lovelace\n'
    expect(userOfConfig(text)).toEqual({ name: 'Ada Lovelace', email: 'ada@example.invalid' })
  })

  it('prefers the environment, and leaves it to the repository when nothing is known', async () => {
    expect(await commitIdentity({ GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.invalid', GIT_COMMITTER_NAME: 'C' })).toEqual({
      GIT_AUTHOR_NAME: 'A',
      GIT_AUTHOR_EMAIL: 'a@example.invalid',
      GIT_COMMITTER_NAME: 'C',
      GIT_COMMITTER_EMAIL: 'a@example.invalid'
    })
  })
})
