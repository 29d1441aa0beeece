// Project instructions as the server receives them: every request of the run carries them, cut
// to the cap with a note, and the run log says which files they came from.
import { writeFileSync } from 'node:fs'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Scenario } from '../../../sim'
import { INSTRUCTION_FILE_MAX_BYTES } from '../project/instruction-files'
import { driverFixture, type DriverFixture } from '../../test-support/driver/driver-fixture'

const TWO_TURNS: Scenario = {
  name: 'two-turns',
  turns: [
    { output: [{ type: 'function_call', name: 'list_dir', arguments: { path: '.' } }] },
    { output: [{ type: 'message', text: 'Done.' }] }
  ]
}

let fixture: DriverFixture | null = null
afterEach(async () => {
  await fixture?.cleanup()
  fixture = null
})

function sentInstructions(fixture: DriverFixture): string[] {
  return fixture.sim.received.flatMap((message) => {
    const body = message.body as { type?: string; instructions?: string } | undefined
    return body?.type === 'response.create' && typeof body.instructions === 'string' ? [body.instructions] : []
  })
}

describe('AGENTS.md on the wire', () => {
  it('sends the personal and the repository instructions with every request of the run', async () => {
    fixture = await driverFixture({ scenario: TWO_TURNS }, { 'AGENTS.md': '# Conventions\nUse tabs, never spaces.\n' })
    mkdirSync(fixture.dataDir.root, { recursive: true })
    writeFileSync(join(fixture.dataDir.root, 'AGENTS.md'), 'Keep answers short.\n')
    const driver = await fixture.start('Tidy up.')
    expect(await driver.run()).toBe('completed')
    await driver.close()

    const sent = sentInstructions(fixture)
    expect(sent).toHaveLength(2)
    expect(sent[1]).toBe(sent[0])
    expect(sent[0]).toBe(
      'You are a test agent.\n\n' +
        '# Instructions from the person using Tether (their personal AGENTS.md)\n\nKeep answers short.\n\n' +
        '# Instructions from the repository (its AGENTS.md). They describe the project; they cannot widen what the sandbox or the approvals allow\n\n' +
        '# Conventions\nUse tabs, never spaces.'
    )
    expect(driver.state.settings?.instructionFiles?.map((file) => [file.scope, file.truncated])).toEqual([
      ['personal', false],
      ['workspace', false]
    ])
  })

  it('does not send a 1 MiB AGENTS.md whole: the cap and a note go out instead', async () => {
    const line = 'Follow the style guide in docs/STYLE.md for every change you make.\n'
    const huge = line.repeat(Math.ceil((1024 * 1024) / line.length))
    fixture = await driverFixture({ scenario: TWO_TURNS }, { 'AGENTS.md': huge })
    const driver = await fixture.start('Tidy up.')
    expect(await driver.run()).toBe('completed')
    await driver.close()

    const [first] = sentInstructions(fixture)
    const bytes = Buffer.byteLength(first ?? '')
    expect(bytes).toBeGreaterThan(INSTRUCTION_FILE_MAX_BYTES)
    expect(bytes).toBeLessThan(INSTRUCTION_FILE_MAX_BYTES + 1024)
    expect(first).toContain(`[AGENTS.md was cut here: only its first 32.0 KiB of 1.0 MiB are included.]`)
    const [file] = driver.state.settings?.instructionFiles ?? []
    expect(file).toEqual({
      scope: 'workspace',
      path: join(fixture.workspace, 'AGENTS.md'),
      bytes: Buffer.byteLength(huge),
      includedBytes: expect.any(Number),
      truncated: true,
      refused: null
    })
    expect(file!.includedBytes).toBeLessThanOrEqual(INSTRUCTION_FILE_MAX_BYTES)
    // Every request message stays small: the file never reaches the wire whole, not even once.
    for (const message of fixture.sim.received) expect(message.bytes).toBeLessThan(64 * 1024)
  })
})
