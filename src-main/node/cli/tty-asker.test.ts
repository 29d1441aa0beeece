// The terminal prompt for an approval: what it prints never carries a control or bidi character raw.
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { ApprovalRequestedRecord } from '../../common/run/records'
import type { LiveViewStyle } from './live-view'
import { askOnTerminal, describeApproval } from './tty-asker'

const PLAIN: LiveViewStyle = { dim: (text) => text, bold: (text) => text, warn: (text) => text }
const RAW_HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/

function request(subject: string, risk: ApprovalRequestedRecord['risk']): ApprovalRequestedRecord {
  return {
    type: 'approval.requested',
    callId: 'call_1',
    tool: 'shell',
    subject,
    risk,
    reasons: [`${subject}: contains characters that display differently from how they run`],
    subcommands: [subject, 'ls'],
    suggestedRule: null,
    sandboxed: true
  }
}

describe('the terminal approval prompt', () => {
  it('shows the command, its reasons and sub-commands escaped', () => {
    const text = describeApproval(request('echo \u001b]0;pwned\u0007\u202eok', 'ask'), PLAIN)
    expect(text).not.toMatch(RAW_HIDDEN)
    expect(text).toContain('echo \\x1b]0;pwned\\x07\\u202eok')
  })

  it('says what the floor covers', () => {
    expect(describeApproval(request('git reset --hard', 'forbid'), PLAIN)).toContain('destroy work, plant code that runs later, or read secrets')
  })

  it('writes nothing raw to the terminal while it asks, and takes the answer', async () => {
    const input = new PassThrough()
    const output = new PassThrough()
    let written = ''
    output.on('data', (chunk: Buffer) => (written += chunk.toString()))
    const answer = askOnTerminal(request('ls \u001b[2J\r\u200b', 'ask'), PLAIN, undefined, input, output)
    input.write('n\n')
    // The second question reads the next line once it is asked.
    while (!written.includes('tell the model why')) await new Promise((resolve) => setImmediate(resolve))
    input.write('\n')
    expect(await answer).toEqual({ decision: 'deny', scope: 'once', message: null })
    expect(written).toContain('ls \\x1b[2J\\x0d\\u200b')
    expect(written).not.toMatch(RAW_HIDDEN)
  })
})
