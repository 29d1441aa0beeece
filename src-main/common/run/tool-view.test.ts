import { describe, expect, it } from 'vitest'
import { toolCallLabel } from './tool-view'

describe('toolCallLabel', () => {
  it('labels a call as its tool declared', () => {
    expect(toolCallLabel('shell', '{"command":"npm test","timeout_ms":null}', { labelArgument: 'command', prefixName: false })).toBe('npm test')
    expect(toolCallLabel('read_file', '{"path":"src/a.ts"}', { labelArgument: 'path', prefixName: true })).toBe('read_file src/a.ts')
    expect(toolCallLabel('script', '{"code":"1"}', { labelArgument: null, prefixName: true })).toBe('script')
  })

  it('falls back to the tool name while the arguments stream or when the labelled argument is not text', () => {
    const view = { labelArgument: 'path', prefixName: true }
    expect(toolCallLabel('read_file', '{"pa', view)).toBe('read_file')
    expect(toolCallLabel('read_file', '{"path":7}', view)).toBe('read_file')
    expect(toolCallLabel('read_file', '[]', view)).toBe('read_file')
    expect(toolCallLabel('', '{', undefined)).toBe('tool call')
  })

  it('labels calls of runs recorded before tools declared their views by the usual argument names', () => {
    expect(toolCallLabel('shell', '{"command":"ls"}', undefined)).toBe('ls')
    expect(toolCallLabel('search', '{"pattern":"TODO","path":null}', undefined)).toBe('search TODO')
    expect(toolCallLabel('script', '{"code":"1"}', undefined)).toBe('script')
  })
})
