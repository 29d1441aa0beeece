import { describe, expect, it } from 'vitest'
import { assignToolNames, FUNCTION_NAME_MAX, isFunctionName } from './tool-names'

describe('MCP function names', () => {
  it('is mcp__SERVER__TOOL when both names fit the API', () => {
    expect([...assignToolNames([{ server: 'github', tool: 'create_issue' }]).keys()]).toEqual(['mcp__github__create_issue'])
  })

  it('makes any name valid, short enough, and unique, keeping each tool reachable', () => {
    const tools = [
      { server: 'my server', tool: 'read.file' },
      { server: 'my_server', tool: 'read_file' },
      { server: 'my server', tool: 'read file' },
      { server: 'files', tool: 'x'.repeat(200) },
      { server: 'files', tool: `${'x'.repeat(200)}y` },
      { server: 'ünïcødé', tool: '工具' },
      { server: 'a__b', tool: 'c' },
      { server: 'a', tool: 'b__c' }
    ]
    const names = assignToolNames(tools, new Set(['shell']))
    expect(names.size).toBe(tools.length)
    for (const name of names.keys()) {
      expect(isFunctionName(name), name).toBe(true)
      expect(name.length).toBeLessThanOrEqual(FUNCTION_NAME_MAX)
      expect(name.startsWith('mcp__')).toBe(true)
    }
    expect([...names.values()]).toEqual(tools)
    // The same tools get the same names in every run.
    expect([...assignToolNames(tools, new Set(['shell'])).keys()]).toEqual([...names.keys()])
  })

  it('never takes a reserved name', () => {
    const names = assignToolNames([{ server: 'x', tool: 'y' }], new Set(['mcp__x__y']))
    expect([...names.keys()]).toEqual(['mcp__x__y_2'])
  })
})
