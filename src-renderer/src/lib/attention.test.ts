import { describe, expect, it } from 'vitest'
import type { RunListItem } from '../../../src-main/common/api/contract'
import { changesBetween, needsOf, titleWith } from './attention'

function run(id: string, patch: Partial<RunListItem> = {}): RunListItem {
  return { id, workspace: '/w', title: id, model: 'm', provider: 'openai', status: 'unfinished', running: true, waitingApprovals: 0, startedAt: 1, durationMs: 1, ...patch }
}

describe('needsOf', () => {
  const runs = [run('a', { waitingApprovals: 1 }), run('b', { running: false, status: 'completed' }), run('c')]

  it('marks a waiting run and an unseen finished one, unless the person looks at it', () => {
    expect(needsOf(runs, { runId: 'c', present: true }, new Set(['b']))).toEqual(new Map([['a', 'approval'], ['b', 'finished']]))
    expect(needsOf(runs, { runId: 'a', present: true }, new Set(['b']))).toEqual(new Map([['b', 'finished']]))
  })

  it('counts the run in view too when the page is hidden or not focused', () => {
    expect(needsOf(runs, { runId: 'a', present: false }, new Set())).toEqual(new Map([['a', 'approval']]))
  })
})

describe('changesBetween', () => {
  it('reports a new approval and an outcome, not an interrupt or a run still going', () => {
    const before = [run('a'), run('b'), run('c'), run('d', { waitingApprovals: 1 })]
    const after = [
      run('a', { waitingApprovals: 1 }),
      run('b', { running: false, status: 'completed' }),
      run('c', { running: false, status: 'interrupted' }),
      run('d', { waitingApprovals: 1 }),
      run('e', { waitingApprovals: 2 })
    ]
    expect(changesBetween(before, after)).toEqual([
      { runId: 'a', need: 'approval' },
      { runId: 'b', need: 'finished' },
      { runId: 'e', need: 'approval' }
    ])
  })
})

describe('titleWith', () => {
  it('puts the count first', () => {
    expect([titleWith(0), titleWith(1), titleWith(12)]).toEqual(['Tether', '(1) Tether', '(12) Tether'])
  })
})
