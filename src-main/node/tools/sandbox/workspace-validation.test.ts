import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { removeScratch, scratchDir } from '../../../test-support/tools/scratch'
import { checkedWorkspace, workspaceRefusal } from './workspace-validation'

const root = scratchDir('workspace-validation')
const home = join(root, 'home', 'me')
const dataDir = join(home, '.local', 'share', 'tether')
const limits = { home, dataDir }
afterAll(() => removeScratch(root))

describe('which folders may be a workspace', () => {
  test('the home, its ancestors, the data dir and what holds it, system folders: refused, each with its reason', () => {
    const refused = [home, join(root, 'home'), root, '/', join(home, '.local'), dataDir, join(dataDir, 'runs'), '/usr', '/usr/local/src', '/etc', '/var', '/proc/self', '/tmp', '/home', '/root']
    expect(refused.filter((path) => workspaceRefusal(path, limits) === null)).toEqual([])
    expect(workspaceRefusal(home, limits)).toBe(`${home} is your home folder; open a project folder inside it instead`)
    expect(workspaceRefusal(join(home, '.local'), limits)).toBe(`${join(home, '.local')} contains Tether's data folder (${dataDir}), with its keys and run logs`)
    expect(workspaceRefusal(root, limits)).toBe(`${root} contains your home folder; open a project folder instead`)
    expect(workspaceRefusal('/usr/local/src', limits)).toBe('/usr/local/src is inside the system folder /usr')
  })

  test('project folders inside the home, under /tmp or /srv are fine', () => {
    expect([join(home, 'src', 'app'), '/tmp/project', '/srv/repos/app', join(home, '.local', 'src')].map((path) => workspaceRefusal(path, limits))).toEqual([null, null, null, null])
  })

  test('another name for the home (a bind mount, a hard-to-spot alias) is recognised by identity', () => {
    mkdirSync(join(home, 'inner'), { recursive: true })
    // Seen from a different path, the same folder: judge it as the home (stat identity).
    const alias = join(root, 'alias-of-home')
    symlinkSync(home, alias)
    expect(workspaceRefusal(alias, limits)).toBe(`${alias} is your home folder, or holds it, under another name`)
    expect(workspaceRefusal(join(home, 'inner'), limits)).toBeNull()
  })

  test('symlinks are resolved before judging', () => {
    mkdirSync(home, { recursive: true })
    const link = join(root, 'innocent-looking')
    symlinkSync(home, link)
    expect(() => checkedWorkspace(link, limits)).toThrow(`this folder cannot be a workspace: ${home} is your home folder; open a project folder inside it instead`)
    const project = join(home, 'project')
    mkdirSync(project)
    expect(checkedWorkspace(project, limits)).toBe(project)
  })
})
