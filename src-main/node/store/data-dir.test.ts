import { homedir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DataDir, defaultDataDir } from './data-dir'

describe('defaultDataDir', () => {
  it('is TETHER_HOME when set, on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(defaultDataDir({ TETHER_HOME: '/srv/tether' }, platform)).toBe('/srv/tether')
    }
  })

  it("follows each platform's convention otherwise", () => {
    expect(defaultDataDir({}, 'linux')).toBe(join(homedir(), '.local', 'share', 'tether'))
    expect(defaultDataDir({ XDG_DATA_HOME: '/data/ada' }, 'linux')).toBe(join('/data/ada', 'tether'))
    expect(defaultDataDir({}, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'Tether'))
    expect(defaultDataDir({ APPDATA: 'C:/Users/ada/AppData/Roaming' }, 'win32')).toBe(join('C:/Users/ada/AppData/Roaming', 'Tether'))
    expect(defaultDataDir({}, 'win32')).toBe(join(homedir(), 'AppData', 'Roaming', 'Tether'))
  })
})

describe('DataDir', () => {
  it('names every path Tether writes inside the data dir', () => {
    const dir = new DataDir('/srv/tether')
    expect({
      runs: dir.runs,
      runIndex: dir.runIndex,
      runLog: dir.runLog('run_20260101T000000Z_abc123'),
      artifacts: dir.artifacts('run_20260101T000000Z_abc123'),
      settings: dir.settings,
      rules: dir.rules
    }).toEqual({
      runs: '/srv/tether/runs',
      runIndex: '/srv/tether/runs/index.json',
      runLog: '/srv/tether/runs/run_20260101T000000Z_abc123.jsonl',
      artifacts: '/srv/tether/runs/run_20260101T000000Z_abc123.artifacts',
      settings: '/srv/tether/settings.json',
      rules: '/srv/tether/rules'
    })
  })
})
