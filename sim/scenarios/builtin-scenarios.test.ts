import { afterEach, describe, expect, it } from 'vitest'
import { toolCallProblems } from '../test-support/tether-tools'
import { SampleWorkspace, type CallResult } from '../test-support/workspace-executor'
import { BUILTIN_SCENARIOS, loadScenario } from './load-scenario'
import { callsIn, type Scenario } from './scenario-schema'

const workspaces: SampleWorkspace[] = []
afterEach(() => {
  for (const workspace of workspaces.splice(0)) workspace.dispose()
})

function allCalls(scenario: Scenario): Array<{ turn: number; name: string; args: Record<string, unknown> }> {
  return scenario.turns.flatMap((turn, index) => callsIn(turn).map((call) => ({ turn: index, name: call.name, args: call.arguments as Record<string, unknown> })))
}

function play(scenario: Scenario): { workspace: SampleWorkspace; results: CallResult[] } {
  const workspace = new SampleWorkspace()
  workspaces.push(workspace)
  return { workspace, results: allCalls(scenario).map((call) => workspace.execute(call.name, call.args)) }
}

describe('built-in scenarios', () => {
  it('load, and call only Tether tools with complete arguments', () => {
    expect(BUILTIN_SCENARIOS).toEqual(['spec-to-pr', 'parallel', 'long-text', 'demo', 'read-only'])
    for (const name of BUILTIN_SCENARIOS) {
      const scenario = loadScenario(name)
      expect(scenario.name).toBe(name)
      expect(allCalls(scenario).flatMap((call) => toolCallProblems(call.name, call.args))).toEqual([])
    }
  })

  it('spec-to-pr: 30 calls, parallel turns, failing tests fixed by its own edits', () => {
    const scenario = loadScenario('spec-to-pr')
    expect(allCalls(scenario)).toHaveLength(30)
    expect(scenario.turns.filter((turn) => callsIn(turn).length > 1).length).toBeGreaterThanOrEqual(5)
    const { workspace, results } = play(scenario)
    const testRuns = results.filter((result) => result.name === 'shell' && result.args.command === 'node --test')
    expect(testRuns.map((run) => run.exitCode === 0)).toEqual([false, true])
    expect(testRuns[0]!.output).toContain('# fail 2')
    expect(testRuns[1]!.output).toContain('# pass 9')
    expect(results.filter((result) => result.name === 'edit_file' || result.name === 'write_file' || result.name === 'script').map((result) => [result.name, result.exitCode])).toEqual([
      ['script', 0],
      ['edit_file', 0],
      ['edit_file', 0],
      ['edit_file', 0],
      ['edit_file', 0],
      ['edit_file', 0],
      ['write_file', 0]
    ])
    expect(results.find((result) => result.name === 'script')!.output).toContain('src/money.js:17: export function formatCents(cents) {')
    const cliRuns = results.filter((result) => result.args.command === 'node src/index.js examples/invoice.json').map((result) => result.output)
    expect(cliRuns[0]).toContain('$-18.00')
    expect(cliRuns[1]).toContain('-$18.00')
    expect(cliRuns[1]).toContain('$194.40')
    expect(workspace.run('git status --short').output.split('\n').filter(Boolean).sort()).toEqual(['?? CHANGELOG.md', ' M README.md', ' M src/invoice.js', ' M src/money.js', ' M test/invoice.test.js', ' M test/money.test.js'].sort())
  })

  it('demo: one risky command, and it really rebuilds the stale build directory', () => {
    const scenario = loadScenario('demo')
    const commands = allCalls(scenario).filter((call) => call.name === 'shell').map((call) => String(call.args.command))
    expect(commands).toEqual(['cat build/manifest.json', 'rm -rf build && node scripts/build.js', 'cat build/manifest.json'])
    const { workspace, results } = play(scenario)
    expect(results.every((result) => result.exitCode === 0)).toBe(true)
    expect(workspace.exists('build/format.js')).toBe(false)
    expect(JSON.parse(workspace.read('build/manifest.json'))).toEqual({ name: 'tally', version: '1.2.0', files: ['index.js', 'invoice.js', 'money.js'] })
    expect(workspace.run('git status --short').output).toBe('')
  })

  it('read-only: 20 calls, one per turn, plain read-only commands and reads that all succeed and change nothing', () => {
    const scenario = loadScenario('read-only')
    const calls = allCalls(scenario)
    expect([calls.length, new Set(calls.map((call) => call.turn)).size]).toEqual([20, 20])
    expect(new Set(calls.map((call) => call.name))).toEqual(new Set(['shell', 'read_file', 'list_dir', 'search']))
    expect(calls.filter((call) => call.name === 'shell').map((call) => String(call.args.command).split(' ')[0])).toEqual(
      expect.arrayContaining(['ls', 'cat', 'rg', 'head', 'wc'])
    )
    const { workspace, results } = play(scenario)
    expect(results.filter((result) => result.exitCode !== 0).map((result) => result.args)).toEqual([])
    expect(workspace.run('git status --short').output).toBe('')
  })

  it('parallel: several calls per turn; long-text: 10,000 one-token deltas', () => {
    expect(loadScenario('parallel').turns.map((turn) => callsIn(turn).length)).toEqual([4, 6, 0])
    const longText = loadScenario('long-text')
    expect(longText.turns[0]!.output).toEqual([{ type: 'message', fillerTokens: 10000, phase: 'final_answer' }])
    expect(longText.timing?.tokensPerDelta).toBe(1)
  })
})
