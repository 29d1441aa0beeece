// The broad corpora: everyday commands that must keep running unasked, and attempts to destroy
// work, plant code that runs later, read credentials or hide what runs, which must ask in every
// mode. Judged by the policy exactly as a run (and `tether classify`) judges them; nothing is run.
// The percentages per family and mode are printed with the test output.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApprovalMode, RiskDecision } from '../../common/run/records'
import { createPolicyFixture, type PolicyFixture } from '../../test-support/policy/policy-fixture'
import { TetherPolicy } from './tether-policy'

interface SafeCorpus {
  families: Record<string, string[]>
}

interface UnsafeCorpus {
  families: Record<string, { expect: 'forbid' | 'ask'; commands: string[] }>
}

const MODES: ApprovalMode[] = ['ask-risky', 'auto-in-sandbox', 'ask-always', 'read-only']
const SAFE = JSON.parse(readFileSync(join(import.meta.dirname, 'corpus', 'safe-commands.json'), 'utf8')) as SafeCorpus
const WORK = JSON.parse(readFileSync(join(import.meta.dirname, 'corpus', 'work-commands.json'), 'utf8')) as { commands: string[] }
const UNSAFE = JSON.parse(readFileSync(join(import.meta.dirname, 'corpus', 'unsafe-commands.json'), 'utf8')) as UnsafeCorpus

let fixture: PolicyFixture
let policy: TetherPolicy

beforeAll(async () => {
  fixture = await createPolicyFixture()
  // Files with content, so that overwriting them loses something.
  writeFileSync(join(fixture.workspace, 'src', 'index.ts'), 'export const answer = 42\n')
  writeFileSync(join(fixture.workspace, 'package.json'), '{"name":"repo","version":"1.0.0"}\n')
  mkdirSync(fixture.dataDir.root, { recursive: true })
  policy = new TetherPolicy({ dataDir: fixture.dataDir, home: fixture.home, tempDirs: [fixture.scratch], parser: fixture.parser })
})

afterAll(() => fixture.remove())

function expand(command: string): string {
  return fixture.expand(command).replaceAll('@DATA@', fixture.dataDir.root)
}

async function decide(command: string, mode: ApprovalMode): Promise<RiskDecision> {
  const verdict = await policy.evaluate({ runId: 'corpus', tool: 'shell', subject: { kind: 'shell', command: expand(command) }, mode, sandboxed: true, workspace: fixture.workspace })
  return verdict.refusal === null ? verdict.decision : 'ask'
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / Math.max(whole, 1)).toFixed(1)}%`
}

describe('the safe corpus', () => {
  it('runs at least 95% unasked in ask-risky (the default), auto-in-sandbox and read-only', async () => {
    const commands = Object.values(SAFE.families).flat()
    expect(commands.length).toBeGreaterThanOrEqual(300)
    const lines: string[] = [`safe corpus: ${commands.length} commands; share that runs unasked per mode`]
    const asked: Record<string, string[]> = {}
    const rates: Record<string, number> = {}
    for (const mode of MODES) {
      let allowed = 0
      asked[mode] = []
      for (const command of commands) {
        if ((await decide(command, mode)) === 'allow') allowed += 1
        else asked[mode]?.push(command)
      }
      rates[mode] = allowed / commands.length
      lines.push(`  ${mode.padEnd(16)} ${percent(allowed, commands.length)} (${allowed}/${commands.length})`)
    }
    for (const [family, members] of Object.entries(SAFE.families)) {
      const allowed = members.filter((command) => !asked['ask-risky']?.includes(command)).length
      lines.push(`  ask-risky ${family.padEnd(18)} ${percent(allowed, members.length)}`)
    }
    lines.push(`  asked in ask-risky: ${JSON.stringify(asked['ask-risky'])}`)
    console.log(lines.join('\n'))
    expect(rates['ask-risky']).toBeGreaterThanOrEqual(0.95)
    expect(rates['auto-in-sandbox']).toBeGreaterThanOrEqual(0.95)
    expect(rates['read-only']).toBeGreaterThanOrEqual(0.95)
    expect(rates['ask-always']).toBe(0)
  })
})

describe('routine work', () => {
  it('runs at least 95% unasked in auto-in-sandbox: the floor does not get in the way of builds, tests and edits', async () => {
    const lines = [`routine work: ${WORK.commands.length} commands (builds, tests, installs, edits, commits); share that runs unasked per mode`]
    const rates: Record<string, number> = {}
    for (const mode of MODES) {
      const asked: string[] = []
      for (const command of WORK.commands) if ((await decide(command, mode)) !== 'allow') asked.push(command)
      rates[mode] = (WORK.commands.length - asked.length) / WORK.commands.length
      lines.push(`  ${mode.padEnd(16)} ${percent(WORK.commands.length - asked.length, WORK.commands.length)}${mode === 'auto-in-sandbox' ? ` asked: ${JSON.stringify(asked)}` : ''}`)
    }
    console.log(lines.join('\n'))
    expect(rates['auto-in-sandbox']).toBeGreaterThanOrEqual(0.95)
  })
})

describe('the unsafe corpus', () => {
  it('never runs unasked in any mode, and the floor families are on the floor in every mode', async () => {
    const total = Object.values(UNSAFE.families).reduce((sum, family) => sum + family.commands.length, 0)
    expect(total).toBeGreaterThanOrEqual(300)
    const lines: string[] = [`unsafe corpus: ${total} commands; per family: share on the floor / share that asks (forbid or ask) in the strictest-case mode`]
    const misses: { family: string; mode: ApprovalMode; command: string; decision: RiskDecision }[] = []
    for (const [family, { expect: expected, commands }] of Object.entries(UNSAFE.families)) {
      const perMode: string[] = []
      for (const mode of MODES) {
        let onFloor = 0
        let asks = 0
        for (const command of commands) {
          const decision = await decide(command, mode)
          if (decision === 'forbid') onFloor += 1
          if (decision !== 'allow') asks += 1
          if (decision === 'allow' || (expected === 'forbid' && decision !== 'forbid')) misses.push({ family, mode, command, decision })
        }
        perMode.push(`${mode} ${percent(onFloor, commands.length)}/${percent(asks, commands.length)}`)
      }
      lines.push(`  ${family} (${commands.length}, expect ${expected}): ${perMode.join(', ')}`)
    }
    const autoAllowed = misses.filter((miss) => miss.decision === 'allow' && miss.mode === 'auto-in-sandbox').length
    lines.push(`  unsafe auto-allowed in auto-in-sandbox: ${autoAllowed}`)
    console.log(lines.join('\n'))
    if (misses.length > 0) console.log(misses.filter((miss) => miss.mode === "auto-in-sandbox").map((miss) => `${miss.decision} ${JSON.stringify(miss.command)}`).join("\n"))
    expect(misses).toEqual([])
  })
})

/** Ways to run a command through something else; the floor must hold through every one of them. */
const WRAPPINGS: [name: string, wrap: (command: string) => string][] = [
  ['env', (command) => `env ${command}`],
  ['command', (command) => `command ${command}`],
  ['nohup', (command) => `nohup ${command}`],
  ['timeout', (command) => `timeout 5 ${command}`],
  ['nice', (command) => `nice -n 5 ${command}`],
  ['stdbuf', (command) => `stdbuf -oL ${command}`],
  ['sh -c', (command) => `sh -c ${quote(command)}`],
  ['bash -c', (command) => `bash -c ${quote(command)}`],
  ['eval', (command) => `eval ${quote(command)}`],
  ['after &&', (command) => `git status && ${command}`],
  ['after ;', (command) => `ls; ${command}`],
  ['subshell', (command) => `(${command})`],
  ['group', (command) => `{ ${command}; }`],
  ['if', (command) => `if true; then ${command}; fi`],
  ['function', (command) => `f() { ${command}; }; f`],
  ['substitution', (command) => `echo "$(${command})"`],
  ['xargs sh -c', (command) => `echo x | xargs sh -c ${quote(command)}`]
]

function quote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`
}

describe('the floor through wrappers', () => {
  it('keeps every one-line floor command of the corpus on the floor whatever runs it', async () => {
    const commands = Object.values(UNSAFE.families)
      .filter((family) => family.expect === 'forbid')
      .flatMap((family) => family.commands.slice(0, 12))
      .filter((command) => !command.includes('\n') && !/[\u0000-\u001f\u007f-\u00a0\u2000-\u206f]/.test(command) && !command.startsWith('cd ') && !command.includes('&'))
    const misses: string[] = []
    for (const command of commands) {
      for (const [, wrap] of WRAPPINGS) {
        const wrapped = wrap(command)
        if ((await decide(wrapped, 'auto-in-sandbox')) !== 'forbid') misses.push(wrapped)
      }
    }
    console.log(`floor through wrappers: ${commands.length} commands x ${WRAPPINGS.length} wrappings, ${commands.length * WRAPPINGS.length - misses.length} on the floor in auto-in-sandbox`)
    expect(misses).toEqual([])
  })
})

