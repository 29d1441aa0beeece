import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { removeScratch, scratchDir } from '../../../test-support/tools/scratch'
import { disarmNewRepositories, findRepositories, protectWorkspace, removePlaceholders } from './workspace-protection'

const root = scratchDir('protection')
afterAll(() => removeScratch(root))

function workspace(name: string): string {
  const path = join(root, name)
  mkdirSync(path)
  return path
}

/** What `git init` leaves that git executes or reads config from, read-only, and placeholders for the rest. */
function gitProtection(gitDir: string) {
  return {
    readOnly: ['hooks', 'config', 'config.worktree', 'commondir', 'info', 'modules', 'worktrees', 'objects/info'].map((name) => join(gitDir, name)),
    placeholders: [
      { path: join(gitDir, 'config.worktree'), content: '' },
      { path: join(gitDir, 'commondir'), content: '.\n' },
      { path: join(gitDir, 'modules'), content: null },
      { path: join(gitDir, 'worktrees'), content: null }
    ]
  }
}

/** Editor folders that get a placeholder when missing, in the order they are protected. */
const EDITOR_FOLDERS = ['.vscode', '.idea', '.zed', '.devcontainer']

describe('protectWorkspace', () => {
  test('a repository: .git pinned, what git runs or reads config from read-only, placeholders for what is missing', () => {
    const ws = workspace('repo')
    execFileSync('git', ['init', '-q', ws])
    writeFileSync(join(ws, '.bashrc'), 'echo hi\n')
    mkdirSync(join(ws, '.vscode'))
    const git = gitProtection(join(ws, '.git'))
    const protection = protectWorkspace(ws)
    expect(protection).toEqual({
      readOnly: [...git.readOnly, join(ws, '.bashrc'), ...EDITOR_FOLDERS.map((name) => join(ws, name))],
      pinned: [join(ws, '.git')],
      gitDirectories: [join(ws, '.git')],
      repositories: [join(ws, '.git')],
      continuations: {},
      placeholders: [...git.placeholders, ...EDITOR_FOLDERS.slice(1).map((name) => ({ path: join(ws, name), content: null }))]
    })
    // A placeholder commondir names the git directory itself, so git works while it is there.
    expect(readFileSync(join(ws, '.git', 'commondir'), 'utf8')).toBe('.\n')
    expect(execFileSync('git', ['-C', ws, 'status', '--porcelain'], { encoding: 'utf8' })).toBe('?? .bashrc\n')
    removePlaceholders(protection.placeholders)
    expect(['commondir', 'config.worktree', 'modules', 'worktrees'].filter((name) => existsSync(join(ws, '.git', name)))).toEqual([])
  })

  test('core.hooksPath inside the work tree is protected, husky style with its parent; a missing one gets a placeholder', () => {
    const ws = workspace('husky')
    execFileSync('git', ['init', '-q', ws])
    mkdirSync(join(ws, '.husky', '_'), { recursive: true })
    execFileSync('git', ['-C', ws, 'config', 'core.hooksPath', '.husky/_'])
    execFileSync('git', ['-C', ws, 'config', '--add', 'core.hooksPath', 'later-hooks'])
    const protection = protectWorkspace(ws)
    expect(protection.readOnly).toEqual(expect.arrayContaining([join(ws, '.husky', '_'), join(ws, '.husky'), join(ws, 'later-hooks')]))
    expect(protection.placeholders).toContainEqual({ path: join(ws, 'later-hooks'), content: null })
    removePlaceholders(protection.placeholders)
    expect(existsSync(join(ws, 'later-hooks'))).toBe(false)
  })

  test("a relative core.hooksPath in the person's own config names a folder of this workspace: protected too", () => {
    const ws = workspace('global-hooks')
    execFileSync('git', ['init', '-q', ws])
    const personConfig = join(root, 'person-gitconfig')
    writeFileSync(personConfig, '[core]\n\thooksPath = team-hooks\n')
    const protection = protectWorkspace(ws, { personConfigFiles: [personConfig, join(root, 'missing-config')] })
    expect(protection.placeholders).toContainEqual({ path: join(ws, 'team-hooks'), content: null })
    expect(protection.readOnly).toContain(join(ws, 'team-hooks'))
    removePlaceholders(protection.placeholders)
    expect(existsSync(join(ws, 'team-hooks'))).toBe(false)
  })

  test('not a repository: an empty placeholder .git that is removed afterwards', () => {
    const ws = workspace('plain')
    const protection = protectWorkspace(ws)
    const placeholders = [join(ws, '.git'), ...EDITOR_FOLDERS.map((name) => join(ws, name))]
    expect(protection).toEqual({ readOnly: placeholders, pinned: [], gitDirectories: [], repositories: [], continuations: {}, placeholders: placeholders.map((path) => ({ path, content: null })) })
    expect(placeholders.every((path) => existsSync(path))).toBe(true)
    removePlaceholders(protection.placeholders)
    expect(placeholders.filter((path) => existsSync(path))).toEqual([])
  })

  test('a placeholder changed during the run is left alone', () => {
    const ws = workspace('changed')
    execFileSync('git', ['init', '-q', ws])
    const protection = protectWorkspace(ws)
    writeFileSync(join(ws, '.git', 'config.worktree'), '[user]\n')
    removePlaceholders(protection.placeholders)
    expect(readFileSync(join(ws, '.git', 'config.worktree'), 'utf8')).toBe('[user]\n')
  })

  test('.git as a file (a worktree): the pointer is read-only and the real git directory is protected', () => {
    const ws = workspace('worktree')
    const gitDir = join(ws, 'gitdir-store')
    execFileSync('git', ['init', '-q', '--separate-git-dir', gitDir, ws])
    const protection = protectWorkspace(ws)
    const git = gitProtection(gitDir)
    expect(protection).toEqual({
      readOnly: [join(ws, '.git'), ...git.readOnly, ...EDITOR_FOLDERS.map((name) => join(ws, name))],
      pinned: [gitDir],
      gitDirectories: [gitDir],
      repositories: [join(ws, '.git'), gitDir],
      continuations: {},
      placeholders: [...git.placeholders, ...EDITOR_FOLDERS.map((name) => ({ path: join(ws, name), content: null }))]
    })
    removePlaceholders(protection.placeholders)
  })

  test('nested repositories and bare ones are protected like the top one', () => {
    const ws = workspace('nested')
    execFileSync('git', ['init', '-q', ws])
    execFileSync('git', ['init', '-q', join(ws, 'vendor', 'lib')])
    execFileSync('git', ['init', '-q', '--bare', join(ws, 'mirror.git')])
    const protection = protectWorkspace(ws)
    expect(protection.gitDirectories).toEqual([join(ws, '.git'), join(ws, 'mirror.git'), join(ws, 'vendor', 'lib', '.git')])
    expect(protection.readOnly).toEqual(expect.arrayContaining([join(ws, 'vendor', 'lib', '.git', 'config'), join(ws, 'mirror.git', 'hooks')]))
    removePlaceholders(protection.placeholders)
  })

  test('a protected name that is a symlink protects its target inside the workspace', () => {
    const ws = workspace('linked')
    writeFileSync(join(ws, 'dot-zshrc'), '')
    symlinkSync('dot-zshrc', join(ws, '.zshrc'))
    const protection = protectWorkspace(ws)
    expect(protection.readOnly).toContain(join(ws, 'dot-zshrc'))
    removePlaceholders(protection.placeholders)
  })
})

describe('repositories made during a run', () => {
  test('are taken apart: a .git is renamed, a bare repository loses its HEAD; known ones and empty folders named .git stay', () => {
    const ws = workspace('made')
    execFileSync('git', ['init', '-q', ws])
    const known = findRepositories(ws)
    execFileSync('git', ['init', '-q', join(ws, 'new')])
    execFileSync('git', ['init', '-q', '--bare', join(ws, 'bare')])
    mkdirSync(join(ws, 'pointer'))
    writeFileSync(join(ws, 'pointer', '.git'), 'gitdir: ../bare\n')
    mkdirSync(join(ws, 'empty', '.git'), { recursive: true })
    expect(disarmNewRepositories(ws, known)).toEqual(['bare/HEAD', 'new/.git', 'pointer/.git'])
    expect(findRepositories(ws)).toEqual(known)
    expect(existsSync(join(ws, 'new', '.git.made-by-tether-run'))).toBe(true)
  })

  test('cost grows with the size of the tree (n and 10n entries)', () => {
    const time = (files: number): number => {
      const ws = workspace(`size-${files}`)
      for (let dir = 0; dir < files / 100; dir++) {
        mkdirSync(join(ws, `d${dir}`))
        for (let file = 0; file < 100; file++) writeFileSync(join(ws, `d${dir}`, `f${file}`), '')
      }
      const started = performance.now()
      findRepositories(ws)
      return performance.now() - started
    }
    const small = time(1_000)
    const large = time(10_000)
    // Linear, not worse: a tenfold tree costs well under a hundredfold (generous for busy machines).
    expect(large).toBeLessThan(Math.max(small, 1) * 100)
  })
})
