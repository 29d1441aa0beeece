// The README's provider table is the table in providers.ts, row for row.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROVIDER_NAMES, PROVIDERS } from '../../common/providers/providers'

const README = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8')

const yesNo = (value: boolean): string => (value ? 'yes' : 'no')

describe("the README's provider table", () => {
  it('says what PROVIDERS says', () => {
    const rows = [...README.matchAll(/^ {2}\| `(openai|xai|custom)` \|(.*)\|$/gm)].map((match) => [match[1], ...match[2]!.split('|').map((cell) => cell.trim())])
    expect(rows).toEqual(
      PROVIDER_NAMES.map((name) => {
        const profile = PROVIDERS[name]
        return [
          name,
          profile.baseUrl === null ? '`--base-url`' : `\`${profile.baseUrl}\``,
          `\`${profile.keyVariable}\``,
          `\`${profile.defaultModel}\``,
          yesNo(profile.continuation.instructions),
          name === 'custom' ? 'either' : profile.errorBody === 'xai' ? '`{"code","error"}`' : '`{"error":{"type","code","message"}}`',
          yesNo(profile.websocket),
          yesNo(profile.steering),
          yesNo(profile.serverCompaction)
        ]
      })
    )
  })
})
