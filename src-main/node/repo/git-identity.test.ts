import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { useTempDirs } from '../../test-support/temp-dir'
import { personGitIdentity } from '../git/git-runner'
import { launchProgram } from '../launcher/process-launcher'
import { commitIdentity } from './git-identity'

vi.mock('../launcher/process-launcher', async (importOriginal) => {
  const original = await importOriginal<typeof import('../launcher/process-launcher')>()
  return { ...original, launchProgram: vi.fn(original.launchProgram) }
})

const tempDir = useTempDirs('tether-identity-')

/** Waits until a file changed now counts as settled (its ctime, which nothing sets back, 2 s old). */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2_100))
}

function gitCalls(): number {
  return vi.mocked(launchProgram).mock.calls.filter(([program]) => program.file.endsWith('/git')).length
}

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

  it('runs git once while the config file stays the same, and reads it again once it changes', async () => {
    const home = await tempDir()
    const config = join(home, '.gitconfig')
    writeFileSync(config, '[user]\n\tname = Ada Lovelace\n\temail = ada@example.invalid\n')
    await settle()
    const before = gitCalls()
    const first = await Promise.all([personGitIdentity(home), personGitIdentity(home)])
    expect(await personGitIdentity(home)).toEqual({ name: 'Ada Lovelace', email: 'ada@example.invalid' })
    expect(first).toEqual([
      { name: 'Ada Lovelace', email: 'ada@example.invalid' },
      { name: 'Ada Lovelace', email: 'ada@example.invalid' }
    ])
    expect(gitCalls() - before).toBe(1)

    // Rewritten in place at the same size: only its times tell the change.
    writeFileSync(config, '[user]\n\tname = Bob Lovelace\n\temail = bob@example.invalid\n')
    expect(await personGitIdentity(home)).toEqual({ name: 'Bob Lovelace', email: 'bob@example.invalid' })
    expect(gitCalls() - before).toBe(2)
  })

  it('reads a config file changed in the last seconds every time: a rewrite within one clock tick would keep its times', async () => {
    const home = await tempDir()
    writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = Ada Lovelace\n\temail = ada@example.invalid\n')
    const before = gitCalls()
    expect(await personGitIdentity(home)).toEqual({ name: 'Ada Lovelace', email: 'ada@example.invalid' })
    expect(await personGitIdentity(home)).toEqual({ name: 'Ada Lovelace', email: 'ada@example.invalid' })
    expect(gitCalls() - before).toBe(2)
  })

  it('answers null, never an error, to every caller when git cannot read the file', async () => {
    const home = await tempDir()
    const config = join(home, '.gitconfig')
    writeFileSync(config, '[user\n\tname = broken\n')
    await settle()
    expect(await Promise.allSettled([personGitIdentity(home), personGitIdentity(home)])).toEqual([
      { status: 'fulfilled', value: null },
      { status: 'fulfilled', value: null }
    ])
  })

  it("takes each key's last value, and no value that holds a control character", async () => {
    const home = await tempDir()
    writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = First\n\temail = a@example.invalid\n[user]\n\tname = Last\n')
    expect(await personGitIdentity(home)).toEqual({ name: 'Last', email: 'a@example.invalid' })
    writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = "Ada\\tLovelace"\n\temail = a@example.invalid\n')
    expect(await personGitIdentity(home)).toBeNull()
    writeFileSync(join(home, '.gitconfig'), '[core]\n\teditor = vi\n')
    expect(await personGitIdentity(home)).toBeNull()
  })
})
