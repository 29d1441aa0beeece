import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RuleStore } from './rule-store'

let base: string
let workspace: string
let rulesDir: string

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'tether-rules-')))
  workspace = join(base, 'repo')
  rulesDir = join(base, 'data', 'rules')
  mkdirSync(workspace)
})

afterEach(() => rmSync(base, { recursive: true, force: true }))

describe('the rules file of a repository', () => {
  it('lives in the data dir, named by the hash of the real path, never in the repository', async () => {
    const store = new RuleStore(rulesDir)
    const link = join(base, 'link-to-repo')
    symlinkSync(workspace, link)
    const expected = join(rulesDir, `${createHash('sha256').update(workspace).digest('hex')}.json`)
    expect(await store.pathFor(workspace)).toBe(expected)
    expect(await store.pathFor(link)).toBe(expected)
    await store.add(workspace, { decision: 'allow', prefix: ['npm', 'test'] })
    expect(readdirSync(workspace)).toEqual([])
  })

  it('is empty before anything is saved', async () => {
    expect(await new RuleStore(rulesDir).load(workspace)).toEqual({ path: await new RuleStore(rulesDir).pathFor(workspace), rules: [], problem: null })
  })

  it('round-trips rules through the disk, in order, without duplicates', async () => {
    const writer = new RuleStore(rulesDir)
    await writer.add(workspace, { decision: 'allow', prefix: ['npm', 'test'] })
    await writer.add(workspace, { decision: 'deny', prefix: ['npm', 'publish'] })
    await writer.add(workspace, { decision: 'allow', prefix: ['npm', 'test'] })
    const reader = new RuleStore(rulesDir)
    expect((await reader.load(workspace)).rules).toEqual([
      { decision: 'allow', prefix: ['npm', 'test'] },
      { decision: 'deny', prefix: ['npm', 'publish'] }
    ])
    const file = JSON.parse(readFileSync(await reader.pathFor(workspace), 'utf8')) as { version: number; workspace: string; rules: { savedAt: string }[] }
    expect(file.version).toBe(1)
    expect(file.workspace).toBe(workspace)
    expect(file.rules.every((rule) => !Number.isNaN(Date.parse(rule.savedAt)))).toBe(true)
  })

  it('leaves no temporary files behind and keeps concurrent saves', async () => {
    const store = new RuleStore(rulesDir)
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => store.add(workspace, { decision: 'allow', prefix: [name] })))
    expect(readdirSync(rulesDir)).toEqual([`${createHash('sha256').update(workspace).digest('hex')}.json`])
    expect((await store.load(workspace)).rules.map((rule) => rule.prefix[0]).sort()).toEqual(['a', 'b', 'c', 'd'])
  })

  it('sees rules another process saved, and hand edits', async () => {
    const mine = new RuleStore(rulesDir)
    expect((await mine.load(workspace)).rules).toEqual([])
    await new RuleStore(rulesDir).add(workspace, { decision: 'ask', prefix: ['git', 'push'] })
    expect((await mine.load(workspace)).rules).toEqual([{ decision: 'ask', prefix: ['git', 'push'] }])
    const path = await mine.pathFor(workspace)
    writeFileSync(path, JSON.stringify({ version: 1, workspace, rules: [{ decision: 'deny', prefix: ['make', 'deploy'] }, { decision: 'ask', prefix: ['git', 'push'] }] }))
    expect((await mine.load(workspace)).rules).toEqual([
      { decision: 'deny', prefix: ['make', 'deploy'] },
      { decision: 'ask', prefix: ['git', 'push'] }
    ])
    await mine.add(workspace, { decision: 'allow', prefix: ['ls'] })
    expect((await new RuleStore(rulesDir).load(workspace)).rules).toHaveLength(3)
  })

  it('reports a broken file, applies none of it, and never overwrites it', async () => {
    const store = new RuleStore(rulesDir)
    const path = await store.pathFor(workspace)
    mkdirSync(rulesDir, { recursive: true })
    writeFileSync(path, '{"version": 1, "rules": [')
    const loaded = await store.load(workspace)
    expect(loaded.rules).toEqual([])
    expect(loaded.problem).toMatch(/is not valid JSON/)
    await expect(store.add(workspace, { decision: 'allow', prefix: ['ls'] })).rejects.toThrow(/fix or move it away/)
    expect(readFileSync(path, 'utf8')).toBe('{"version": 1, "rules": [')
  })

  it('rejects files of the wrong shape with a readable reason', async () => {
    const store = new RuleStore(rulesDir)
    mkdirSync(rulesDir, { recursive: true })
    writeFileSync(await store.pathFor(workspace), JSON.stringify({ version: 1, workspace, rules: [{ decision: 'maybe', prefix: [] }] }))
    const loaded = await store.load(workspace)
    expect(loaded.rules).toEqual([])
    expect(loaded.problem).toMatch(/is not a rules file/)
  })

  it('checks the examples a rule carries when the file is read', async () => {
    const store = new RuleStore(rulesDir)
    mkdirSync(rulesDir, { recursive: true })
    const path = await store.pathFor(workspace)
    const rule = { decision: 'allow', prefix: ['npm', 'test'], examples: { match: [['npm', 'test', '--watch']], notMatch: [['npm', 'publish']] } }
    writeFileSync(path, JSON.stringify({ version: 1, workspace, rules: [rule] }))
    expect(await store.load(workspace)).toEqual({ path, rules: [{ decision: 'allow', prefix: ['npm', 'test'] }], problem: null })
    const wrong = { ...rule, examples: { notMatch: [['npm', 'test', 'x']] } }
    writeFileSync(path, JSON.stringify({ version: 1, workspace, rules: [wrong] }))
    expect((await store.load(workspace)).problem).toMatch(/matches `npm test x`, which it must not/)
  })

  it('refuses to save an invalid rule', async () => {
    await expect(new RuleStore(rulesDir).add(workspace, { decision: 'allow', prefix: [] })).rejects.toThrow(/at least the program name/)
  })
})
