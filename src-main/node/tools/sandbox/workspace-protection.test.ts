import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { removeScratch, scratchDir } from '../../../test-support/tools/scratch'
import { protectWorkspace, removePlaceholders } from './workspace-protection'

const root = scratchDir('protection')
afterAll(() => removeScratch(root))

function workspace(name: string): string {
  const path = join(root, name)
  mkdirSync(path)
  return path
}

describe('protectWorkspace', () => {
  test('a repository: .git pinned, hooks and config read-only, existing rc and editor files read-only', () => {
    const ws = workspace('repo')
    execFileSync('git', ['init', '-q', ws])
    writeFileSync(join(ws, '.bashrc'), 'echo hi\n')
    mkdirSync(join(ws, '.vscode'))
    const protection = protectWorkspace(ws)
    expect(protection).toEqual({
      readOnly: [join(ws, '.git/hooks'), join(ws, '.git/config'), join(ws, '.bashrc'), join(ws, '.vscode'), join(ws, '.idea')],
      pinned: [join(ws, '.git')],
      gitDirectories: [join(ws, '.git')],
      placeholders: [join(ws, '.idea')]
    })
    removePlaceholders(protection.placeholders)
  })

  test('core.hooksPath inside the work tree is protected too', () => {
    const ws = workspace('husky')
    execFileSync('git', ['init', '-q', ws])
    mkdirSync(join(ws, '.husky'))
    execFileSync('git', ['-C', ws, 'config', 'core.hooksPath', '.husky'])
    const protection = protectWorkspace(ws)
    expect(protection.readOnly).toEqual([join(ws, '.git/hooks'), join(ws, '.git/config'), join(ws, '.husky'), join(ws, '.vscode'), join(ws, '.idea')])
    removePlaceholders(protection.placeholders)
  })

  test('not a repository: an empty placeholder .git that is removed afterwards', () => {
    const ws = workspace('plain')
    const protection = protectWorkspace(ws)
    const placeholders = [join(ws, '.git'), join(ws, '.vscode'), join(ws, '.idea')]
    expect(protection).toEqual({ readOnly: placeholders, pinned: [], gitDirectories: [], placeholders })
    expect(placeholders.map((path) => existsSync(path))).toEqual([true, true, true])
    removePlaceholders(protection.placeholders)
    expect(placeholders.map((path) => existsSync(path))).toEqual([false, false, false])
  })

  test('a missing hooks directory gets a placeholder', () => {
    const ws = workspace('nohooks')
    execFileSync('git', ['init', '-q', ws])
    execFileSync('rm', ['-rf', join(ws, '.git/hooks')])
    const protection = protectWorkspace(ws)
    expect(protection.placeholders).toEqual([join(ws, '.git/hooks'), join(ws, '.vscode'), join(ws, '.idea')])
    removePlaceholders(protection.placeholders)
    expect(existsSync(join(ws, '.git/hooks'))).toBe(false)
  })

  test('.git as a file (a worktree): the pointer is read-only and the real git directory is protected', () => {
    const ws = workspace('worktree')
    const gitDir = join(ws, 'gitdir-store')
    execFileSync('git', ['init', '-q', '--separate-git-dir', gitDir, ws])
    const protection = protectWorkspace(ws)
    expect(protection).toEqual({
      readOnly: [join(ws, '.git'), join(gitDir, 'hooks'), join(gitDir, 'config'), join(ws, '.vscode'), join(ws, '.idea')],
      pinned: [gitDir],
      gitDirectories: [gitDir],
      placeholders: [join(ws, '.vscode'), join(ws, '.idea')]
    })
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
