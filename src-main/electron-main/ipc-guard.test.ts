import { describe, expect, it } from 'vitest'
import { senderProblem } from './ipc-guard'

describe('IPC sender validation', () => {
  it('accepts the main frame of the app origin only', () => {
    expect(senderProblem({ url: 'app://tether/index.html', parent: null })).toBeNull()
    expect(senderProblem({ url: 'app://tether/index.html', parent: { url: 'app://tether/' } })).toBe('only the main frame may call Tether')
    expect(senderProblem({ url: 'https://evil.example/x', parent: null })).toBe('a page outside the app (https://evil.example) may not call Tether')
    expect(senderProblem({ url: 'file:///tmp/x.html', parent: null })).toBe('a page outside the app (null) may not call Tether')
    expect(senderProblem(null)).toBe('the sending frame is gone')
  })
})
