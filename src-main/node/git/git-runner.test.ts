// The host's git against a hostile repository, judged by effects: every program the repository's
// config names would create a marker file outside the repository; none may appear.
import { execFileSync } from 'node:child_process'
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findGitRepository, GitLayoutError, openGitRepository, type GitRepository } from './git-repository'
import { git, GitError, GitTimeoutError, initGitRepository, runGit } from './git-runner'
import { GitConfigRefused } from './git-hardening'

const IDENTITY = { GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.invalid' }
const root = mkdtempSync(join(tmpdir(), 'tether-git-runner-'))
const markers = join(root, 'markers')
let workTree: string
let repo: GitRepository
let count = 0

/** The person's own git, as they would run it. */
function plainGit(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...IDENTITY }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** A shell command that leaves a marker named `name` outside the repository. */
function plant(name: string): string {
  return `touch ${join(markers, name)}`
}

/** An executable script that leaves a marker, for settings that take a program path. */
function plantScript(name: string): string {
  const path = join(root, `script-${name}`)
  writeFileSync(path, `#!/bin/sh\n${plant(name)}\ncat\n`)
  chmodSync(path, 0o755)
  return path
}

function appendConfig(text: string): void {
  appendFileSync(join(workTree, '.git', 'config'), text)
}

function markersLeft(): string[] {
  return readdirSync(markers)
}

beforeEach(async () => {
  count++
  workTree = join(root, `repo-${count}`)
  mkdirSync(workTree)
  mkdirSync(markers, { recursive: true })
  plainGit(workTree, ['init', '-q', '-b', 'main'])
  writeFileSync(join(workTree, 'a.txt'), 'one\n')
  writeFileSync(join(workTree, '.gitattributes'), '* filter=evil diff=evil merge=evil\n')
  plainGit(workTree, ['add', '-A'])
  plainGit(workTree, ['commit', '-q', '-m', 'start'])
  repo = await openGitRepository(workTree)
})

afterEach(() => {
  rmSync(markers, { recursive: true, force: true })
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('settings in the repository that would run a program', () => {
  it('runs no filter, diff driver, textconv, fsmonitor, hook, pager, editor or signing program, whatever the host runs', async () => {
    appendConfig(
      [
        '[filter "evil"]',
        `\tclean = ${plant('clean')}; cat`,
        `\tsmudge = ${plant('smudge')}; cat`,
        `\tprocess = ${plant('process')}`,
        '\trequired = true',
        '[diff "evil"]',
        `\tcommand = ${plant('diff-command')}`,
        `\ttextconv = ${plantScript('textconv')}`,
        '[merge "evil"]',
        `\tdriver = ${plant('merge-driver')}`,
        '[core]',
        `\tfsmonitor = ${plantScript('fsmonitor')}`,
        `\thooksPath = ${join(root, 'hooks')}`,
        `\tpager = ${plant('pager')}`,
        `\teditor = ${plant('editor')}`,
        `\talternateRefsCommand = ${plant('alternate-refs')}`,
        '[diff]',
        `\texternal = ${plantScript('diff-external')}`,
        '[commit]',
        '\tgpgSign = true',
        `\ttemplate = ${join(root, 'template')}`,
        '[log]',
        '\tshowSignature = true',
        '[gpg]',
        `\tprogram = ${plantScript('gpg')}`,
        '[credential]',
        `\thelper = !${plant('credential')}`,
        ''
      ].join('\n')
    )
    mkdirSync(join(root, 'hooks'), { recursive: true })
    for (const hook of ['pre-commit', 'commit-msg', 'post-commit', 'reference-transaction', 'post-checkout', 'post-index-change']) {
      writeFileSync(join(root, 'hooks', hook), `#!/bin/sh\n${plant(`hook-${hook}`)}\n`)
      chmodSync(join(root, 'hooks', hook), 0o755)
      writeFileSync(join(workTree, '.git', 'hooks', hook), `#!/bin/sh\n${plant(`git-hook-${hook}`)}\n`)
      chmodSync(join(workTree, '.git', 'hooks', hook), 0o755)
    }
    writeFileSync(join(workTree, 'a.txt'), 'two\n')
    writeFileSync(join(workTree, 'b.txt'), 'new\n')
    await git(repo, ['status', '--porcelain'])
    await git(repo, ['add', '-A'])
    await git(repo, ['diff', 'HEAD'])
    await git(repo, ['diff', '--cached'])
    await git(repo, ['commit', '-q', '-m', 'change'], { env: IDENTITY })
    await git(repo, ['commit', '-q', '--allow-empty'], { env: IDENTITY, acceptExitCodes: [1] })
    await git(repo, ['log', '-p'])
    await git(repo, ['show', 'HEAD'])
    await git(repo, ['blame', 'a.txt'])
    await git(repo, ['checkout', '-q', 'HEAD~1', '--', 'a.txt'])
    await git(repo, ['branch', 'side', 'HEAD~1'])
    await git(repo, ['worktree', 'add', '-q', join(root, `worktree-${count}`), 'side'])
    expect(markersLeft()).toEqual([])
    // The plants are live: the person's own git runs them.
    writeFileSync(join(workTree, 'a.txt'), 'three\n')
    plainGit(workTree, ['config', '--unset', 'filter.evil.process'])
    plainGit(workTree, ['add', '-A'])
    plainGit(workTree, ['commit', '-q', '--no-gpg-sign', '-m', 'x'])
    expect(markersLeft()).toEqual(expect.arrayContaining(['clean', 'fsmonitor', 'hook-pre-commit']))
  })

  it('disarms drivers whose name would break a `-c name=value` override', async () => {
    writeFileSync(join(workTree, '.gitattributes'), '* filter=a=b\n')
    appendConfig(`[filter "a=b"]\n\tclean = ${plant('clean-equals')}; cat\n`)
    writeFileSync(join(workTree, 'a.txt'), 'changed\n')
    await git(repo, ['add', '-A'])
    expect(markersLeft()).toEqual([])
    // The person's own git does run it: the plant is real.
    writeFileSync(join(workTree, 'a.txt'), 'changed again, so git must read it\n')
    plainGit(workTree, ['add', '-A'])
    expect(markersLeft()).toEqual(['clean-equals'])
  })

  it('ignores git settings in the host environment and refuses config includes', async () => {
    const saved = process.env.GIT_CONFIG_PARAMETERS
    process.env.GIT_CONFIG_PARAMETERS = `'core.fsmonitor'='${plantScript('env-fsmonitor')}'`
    try {
      await git(repo, ['status'])
    } finally {
      if (saved === undefined) delete process.env.GIT_CONFIG_PARAMETERS
      else process.env.GIT_CONFIG_PARAMETERS = saved
    }
    expect(markersLeft()).toEqual([])
    writeFileSync(join(workTree, 'extra.cfg'), `[core]\n\tfsmonitor = ${plantScript('included')}\n`)
    appendConfig('[include]\n\tpath = ../extra.cfg\n')
    await expect(git(repo, ['status'])).rejects.toThrow(GitConfigRefused)
    expect(markersLeft()).toEqual([])
  })

  it('runs only the subcommands it knows', async () => {
    appendConfig(`[alias]\n\tx = !${plant('alias')}\n`)
    await expect(git(repo, ['x'])).rejects.toThrow(/not a command the host runs/)
    await expect(git(repo, ['-c', 'core.pager=x', 'log'])).rejects.toThrow(GitError)
    await expect(git(repo, ['fetch', 'ext::sh -c touch% /tmp/x'])).rejects.toThrow(GitError)
    expect(markersLeft()).toEqual([])
  })

  it('output callers parse keeps its shape whatever the repository sets (colour, prefixes, relative paths)', async () => {
    appendConfig('[color]\n\tdiff = always\n\tui = always\n[diff]\n\tnoprefix = true\n\tmnemonicPrefix = true\n\trelative = true\n')
    mkdirSync(join(workTree, 'sub'))
    writeFileSync(join(workTree, 'a.txt'), 'two\n')
    const patch = await git(repo, ['diff', 'HEAD'])
    expect(patch).not.toContain('\u001b[')
    expect(patch).toContain('--- a/a.txt\n+++ b/a.txt\n')
  })

  it('does not see replace objects', async () => {
    const original = plainGit(workTree, ['rev-parse', 'HEAD:a.txt']).trim()
    const fake = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: workTree, input: 'forged\n', encoding: 'utf8' }).trim()
    plainGit(workTree, ['replace', original, fake])
    expect(plainGit(workTree, ['show', 'HEAD:a.txt'])).toBe('forged\n')
    expect(await git(repo, ['show', 'HEAD:a.txt'])).toBe('one\n')
  })
})

describe('where the git data is', () => {
  it('refuses a commondir, gitdir or alternates that lead out of the repository', async () => {
    const elsewhere = join(root, `elsewhere-${count}`)
    plainGit(root, ['init', '-q', '--bare', elsewhere])
    writeFileSync(join(workTree, '.git', 'commondir'), `${elsewhere}\n`)
    await expect(openGitRepository(workTree)).rejects.toThrow(/commondir.*outside the repository/)
    rmSync(join(workTree, '.git', 'commondir'))
    writeFileSync(join(workTree, '.git', 'objects', 'info', 'alternates'), `${join(elsewhere, 'objects')}\n`)
    await expect(openGitRepository(workTree)).rejects.toThrow(/alternates.*outside the repository/)
    rmSync(join(workTree, '.git', 'objects', 'info', 'alternates'))
    const linked = join(root, `linked-${count}`)
    mkdirSync(linked)
    writeFileSync(join(linked, '.git'), `gitdir: ${join(workTree, '.git')}\n`)
    await expect(findGitRepository(linked)).rejects.toThrow(/outside the repository/)
    expect((await findGitRepository(linked, { trustedGitDirs: [join(workTree, '.git')] }))?.gitDir).toBe(join(workTree, '.git'))
  })

  it('never searches above a folder whose .git is unusable, and finds the repository a subfolder belongs to', async () => {
    mkdirSync(join(workTree, 'sub', 'deeper'), { recursive: true })
    expect(await findGitRepository(join(workTree, 'sub', 'deeper'))).toEqual(repo)
    const plain = join(root, `plain-${count}`)
    mkdirSync(plain)
    expect(await findGitRepository(plain)).toBeNull()
  })

  it('answers at once when a FIFO, socket or symlink sits where git reads', async () => {
    for (const name of ['index', 'HEAD', 'config', 'packed-refs', 'refs/heads/trap', 'info/exclude', 'objects/info/alternates', 'commondir']) {
      const path = join(workTree, '.git', name)
      const backup = existsSync(path) ? `${path}.bak` : null
      if (backup !== null) execFileSync('mv', [path, backup])
      mkdirSync(join(path, '..'), { recursive: true })
      execFileSync('mkfifo', [path])
      const started = performance.now()
      await expect(openGitRepository(workTree)).rejects.toThrow(GitLayoutError)
      expect(performance.now() - started).toBeLessThan(5_000)
      rmSync(path)
      if (backup !== null) execFileSync('mv', [backup, path])
    }
    writeFileSync(join(workTree, '.git', 'index'), '')
    execFileSync('truncate', ['-s', '1T', join(workTree, '.git', 'index')])
    await expect(openGitRepository(workTree)).rejects.toThrow(/more than|sparse/)
  })
})

describe('bounds', () => {
  it('stops git at its deadline without blocking the host (a FIFO in the work tree)', async () => {
    mkdirSync(join(workTree, 'sub'))
    execFileSync('mkfifo', [join(workTree, 'sub', '.gitignore')])
    let ticks = 0
    const ticker = setInterval(() => ticks++, 50)
    const started = performance.now()
    try {
      await expect(git(repo, ['status', '--porcelain', '--untracked-files=all'], { timeoutMs: 1_000 })).rejects.toThrow(GitTimeoutError)
    } finally {
      clearInterval(ticker)
    }
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(ticks).toBeGreaterThan(0)
  })

  it('keeps at most the output asked for', async () => {
    writeFileSync(join(workTree, 'big.txt'), 'x'.repeat(100_000))
    await git(repo, ['add', 'big.txt'])
    const patch = await runGit(repo, ['diff', '--cached'], { maxOutputBytes: 1000, truncate: true })
    expect({ length: patch.stdout.length, truncated: patch.truncated }).toEqual({ length: 1000, truncated: true })
    await expect(runGit(repo, ['diff', '--cached'], { maxOutputBytes: 1000 })).rejects.toThrow(/more than 1000 bytes/)
  })

  it('makes a fresh repository without template hooks', async () => {
    const fresh = join(root, `fresh-${count}`)
    mkdirSync(fresh)
    const made = await initGitRepository(fresh, 'main')
    expect(made).toEqual({ workTree: fresh, gitDir: join(fresh, '.git'), commonDir: join(fresh, '.git') })
    expect(existsSync(join(fresh, '.git', 'hooks'))).toBe(false)
    expect(await findGitRepository(fresh)).toEqual(made)
  })
})
