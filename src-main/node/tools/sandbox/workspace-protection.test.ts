import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { removeScratch, scratchDir } from '../test-support/scratch'
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
    expect(protectWorkspace(ws)).toEqual({
      readOnly: [join(ws, '.git/hooks'), join(ws, '.git/config'), join(ws, '.bashrc'), join(ws, '.vscode')],
      pinned: [join(ws, '.git')],
      gitDirectories: [join(ws, '.git')],
      placeholders: []
    })
  })

  test('core.hooksPath inside the work tree is protected too', () => {
    const ws = workspace('husky')
    execFileSync('git', ['init', '-q', ws])
    mkdirSync(join(ws, '.husky'))
    execFileSync('git', ['-C', ws, 'config', 'core.hooksPath', '.husky'])
    expect(protectWorkspace(ws).readOnly).toEqual([join(ws, '.git/hooks'), join(ws, '.git/config'), join(ws, '.husky')])
  })

  test('not a repository: an empty placeholder .git that is removed afterwards', () => {
    const ws = workspace('plain')
    const protection = protectWorkspace(ws)
    expect(protection).toEqual({ readOnly: [join(ws, '.git')], pinned: [], gitDirectories: [], placeholders: [join(ws, '.git')] })
    expect(existsSync(join(ws, '.git'))).toBe(true)
    removePlaceholders(protection.placeholders)
    expect(existsSync(join(ws, '.git'))).toBe(false)
  })

  test('a missing hooks directory gets a placeholder', () => {
    const ws = workspace('nohooks')
    execFileSync('git', ['init', '-q', ws])
    execFileSync('rm', ['-rf', join(ws, '.git/hooks')])
    const protection = protectWorkspace(ws)
    expect(protection.placeholders).toEqual([join(ws, '.git/hooks')])
    removePlaceholders(protection.placeholders)
    expect(existsSync(join(ws, '.git/hooks'))).toBe(false)
  })

  test('.git as a file (a worktree): the pointer is read-only and the real git directory is protected', () => {
    const ws = workspace('worktree')
    const gitDir = join(ws, 'gitdir-store')
    execFileSync('git', ['init', '-q', '--separate-git-dir', gitDir, ws])
    expect(protectWorkspace(ws)).toEqual({
      readOnly: [join(ws, '.git'), join(gitDir, 'hooks'), join(gitDir, 'config')],
      pinned: [gitDir],
      gitDirectories: [gitDir],
      placeholders: []
    })
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
