import { describe, expect, it } from 'vitest'
import { APPROVAL_MODE_INFO, APPROVAL_MODES, DEFAULT_APPROVAL_MODE, isApprovalMode } from './approval-modes'

describe('the approval modes', () => {
  it('are one list, each with its words for people, and the default among them', () => {
    expect(Object.keys(APPROVAL_MODE_INFO)).toEqual([...APPROVAL_MODES])
    expect(APPROVAL_MODES).toContain(DEFAULT_APPROVAL_MODE)
    expect(APPROVAL_MODES.filter(isApprovalMode)).toEqual([...APPROVAL_MODES])
    expect(['', 'ask', 'toString', 'READ-ONLY'].filter(isApprovalMode)).toEqual([])
  })
})
