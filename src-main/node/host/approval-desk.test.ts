import { describe, expect, it } from 'vitest'
import { ApprovalDesk } from './approval-desk'

const RUN = 'run_20260101T000000Z_abc123'

describe('ApprovalDesk', () => {
  it('hands the person\'s answer to the run waiting for it', async () => {
    const desk = new ApprovalDesk()
    const asked = desk.ask(RUN, 'call_1')
    expect(desk.isWaiting(RUN, 'call_1')).toBe(true)
    expect(desk.answer({ runId: RUN, callId: 'call_1', decision: 'allow', scope: 'run', message: 'ignored for an allow' })).toBe(true)
    await expect(asked).resolves.toEqual({ decision: 'allow', scope: 'run', message: null })
    expect(desk.isWaiting(RUN, 'call_1')).toBe(false)
  })

  it('refuses an answer nobody asked for, so a renderer cannot approve an unseen call', () => {
    const desk = new ApprovalDesk()
    expect(desk.answer({ runId: RUN, callId: 'call_9', decision: 'allow', scope: 'always', message: null })).toBe(false)
  })

  it('keeps an answer given ahead for a run about to resume, once', async () => {
    const desk = new ApprovalDesk()
    desk.answerAhead({ runId: RUN, callId: 'call_2', decision: 'deny', scope: 'once', message: 'use the staging database' })
    await expect(desk.ask(RUN, 'call_2')).resolves.toEqual({ decision: 'deny', scope: 'once', message: 'use the staging database' })
    const second = desk.ask(RUN, 'call_2')
    expect(desk.isWaiting(RUN, 'call_2')).toBe(true)
    desk.answer({ runId: RUN, callId: 'call_2', decision: 'allow', scope: 'once', message: null })
    await expect(second).resolves.toEqual({ decision: 'allow', scope: 'once', message: null })
  })

  it('drops answers ahead when the resume fails, and rejects a question when its run stops', async () => {
    const desk = new ApprovalDesk()
    desk.answerAhead({ runId: RUN, callId: 'call_3', decision: 'allow', scope: 'once', message: null })
    desk.forgetRun(RUN)
    const controller = new AbortController()
    const asked = desk.ask(RUN, 'call_3', controller.signal)
    expect(desk.isWaiting(RUN, 'call_3')).toBe(true)
    controller.abort()
    await expect(asked).rejects.toThrow('the approval was abandoned: the run stopped')
    expect(desk.isWaiting(RUN, 'call_3')).toBe(false)
  })
})
