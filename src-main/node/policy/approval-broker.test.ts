// The broker against a real run log on disk and the real policy; only the person is scripted.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ApprovalMode, RunRecordBody } from '../../common/run/records'
import { foldRecords } from '../../common/run/reduce'
import { initialRunState } from '../../common/run/state'
import { RunRecorder } from '../driver/run-recorder'
import type { GateCall } from '../driver/tool-gate'
import { readRunLog } from '../store/run-log-reader'
import { RunLogWriter } from '../store/run-log-writer'
import { runStarted } from '../../test-support/run-records'
import { useTempDirs } from '../../test-support/temp-dir'
import type { ToolCallSubject } from '../tools/tool-runtime'
import type { ApprovalAsker, ApprovalQuestion } from './approval-asker'
import { ApprovalBroker, INTERRUPTED_MESSAGE } from './approval-broker'
import type { PersonDecision } from './approval-policy'
import { createPolicyFixture, type PolicyFixture } from '../../test-support/policy/policy-fixture'
import { TetherPolicy } from './tether-policy'

type Answer = (question: ApprovalQuestion, signal: AbortSignal) => PersonDecision | Promise<PersonDecision>

/** Answers questions in order; records what it was asked and how many questions were open at once. */
class ScriptedAsker implements ApprovalAsker {
  readonly questions: ApprovalQuestion[] = []
  readonly signals: AbortSignal[] = []
  maxOpen = 0
  #open = 0
  #answers: Answer[]

  constructor(...answers: Answer[]) {
    this.#answers = answers
  }

  async ask(question: ApprovalQuestion, signal: AbortSignal): Promise<PersonDecision> {
    this.questions.push(question)
    this.signals.push(signal)
    this.#open += 1
    this.maxOpen = Math.max(this.maxOpen, this.#open)
    try {
      const answer = this.#answers.shift()
      if (!answer) throw new Error(`unexpected question about ${question.request.subject}`)
      return await answer(question, signal)
    } finally {
      this.#open -= 1
    }
  }
}

const allowOnce: Answer = () => ({ decision: 'allow', scope: 'once', message: null })
const allowFor = (scope: PersonDecision['scope']): Answer => () => ({ decision: 'allow', scope, message: null })
const denyWith = (message: string | null): Answer => () => ({ decision: 'deny', scope: 'once', message })

/** An answer the test gives later, once the question is open. */
function later(): { answer: Answer; give: (decision: PersonDecision) => void; asked: Promise<void> } {
  let give: (decision: PersonDecision) => void = () => undefined
  let markAsked: () => void = () => undefined
  const asked = new Promise<void>((resolve) => {
    markAsked = resolve
  })
  const decision = new Promise<PersonDecision>((resolve) => {
    give = resolve
  })
  return {
    answer: () => {
      markAsked()
      return decision
    },
    give: (value) => give(value),
    asked
  }
}

let fixture: PolicyFixture
const tempDir = useTempDirs('tether-broker-')

beforeAll(async () => {
  fixture = await createPolicyFixture()
})

afterAll(() => fixture.remove())

interface Harness {
  path: string
  recorder: RunRecorder
  policy: TetherPolicy
  broker: (asker: ApprovalAsker | null) => ApprovalBroker
  call: (callId: string, subject: ToolCallSubject, options?: { mode?: ApprovalMode; signal?: AbortSignal; sandboxed?: boolean }) => GateCall
  approvalRecords: () => Promise<RunRecordBody[]>
}

let harness: Harness
let runNumber = 0

async function openHarness(path: string, recorder: RunRecorder, policy: TetherPolicy, runId: string): Promise<Harness> {
  return {
    path,
    recorder,
    policy,
    broker: (asker) => new ApprovalBroker({ policy, asker }),
    call: (callId, subject, options = {}) => ({
      runId,
      callId,
      tool: { shell: 'shell', script: 'script', read: 'read_file', write: 'write_file', mcp: 'mcp__server__tool', invalid: 'shell' }[subject.kind],
      arguments: JSON.stringify(subject),
      subject,
      mode: options.mode ?? 'ask-risky',
      sandboxed: options.sandboxed ?? true,
      workspace: fixture.workspace,
      approval: recorder.state.approvals[callId] ?? null,
      signal: options.signal ?? new AbortController().signal,
      record: (body) => recorder.recordDurable(body),
      note: (body) => recorder.record(body, { decidedAtOnce: true })
    }),
    approvalRecords: async () => {
      await recorder.sync()
      const { records } = await readRunLog(path)
      return records.filter((record) => record.type.startsWith('approval.')).map(({ v: _v, seq: _seq, ts: _ts, ...body }) => body as RunRecordBody)
    }
  }
}

beforeEach(async () => {
  runNumber += 1
  const path = join(await tempDir(), 'run.jsonl')
  const recorder = new RunRecorder(await RunLogWriter.create(path), initialRunState)
  const runId = `run_broker_${runNumber}`
  await recorder.recordDurable(runStarted({ runId, workspace: fixture.workspace }))
  const dataDir = { ...fixture.dataDir, rules: join(await tempDir(), 'rules') } as typeof fixture.dataDir
  const policy = new TetherPolicy({ dataDir, home: fixture.home, tempDirs: [fixture.scratch], parser: fixture.parser })
  harness = await openHarness(path, recorder, policy, runId)
})

const shell = (command: string): ToolCallSubject => ({ kind: 'shell', command })

describe('calls that need nobody', () => {
  it('a plain read-only command runs and writes no approval records', async () => {
    const asker = new ScriptedAsker()
    expect(await harness.broker(asker).authorize(harness.call('c1', shell('git status && ls -la')))).toEqual({ allowed: true, changesNothing: true })
    expect(asker.questions).toEqual([])
    expect(await harness.approvalRecords()).toEqual([])
  })

  it('what the mode settles is logged as decided by the mode', async () => {
    const broker = harness.broker(new ScriptedAsker())
    expect(await broker.authorize(harness.call('c1', shell('npm test'), { mode: 'auto-in-sandbox' }))).toEqual({ allowed: true })
    expect(await harness.approvalRecords()).toEqual([
      {
        type: 'approval.requested',
        callId: 'c1',
        tool: 'shell',
        subject: 'npm test',
        risk: 'ask',
        reasons: ['auto-in-sandbox runs it in the sandbox without asking', 'npm test: `npm` is not on the read-only list'],
        subcommands: ['npm test'],
        sandboxed: true,
        suggestedRule: null
      },
      { type: 'approval.decided', callId: 'c1', decision: 'allow', scope: 'once', message: null, rule: null, by: 'mode' }
    ])
  })

  it('a deny rule refuses without asking, and the model is told why', async () => {
    await harness.policy.remember(fixture.workspace, 'other-run', ['npm', 'publish'], 'always', 'deny')
    const asker = new ScriptedAsker()
    const decision = await harness.broker(asker).authorize(harness.call('c1', shell('npm publish')))
    expect(decision).toEqual({ allowed: false, message: 'Refused without asking: `npm publish` matches the rule deny `npm publish` saved for this repository.' })
    expect(asker.questions).toEqual([])
    expect((await harness.approvalRecords()).at(-1)).toEqual({
      type: 'approval.decided',
      callId: 'c1',
      decision: 'deny',
      scope: 'always',
      message: 'Refused without asking: `npm publish` matches the rule deny `npm publish` saved for this repository.',
      rule: ['npm', 'publish'],
      by: 'rule'
    })
  })

  it('a read-only run refuses file writes without asking', async () => {
    const decision = await harness.broker(new ScriptedAsker()).authorize(harness.call('c1', { kind: 'write', path: 'src/a.ts' }, { mode: 'read-only' }))
    expect(decision).toEqual({ allowed: false, message: 'Refused without asking: this run is read-only, so write_file may not change src/a.ts.' })
  })
})

describe('asking the person', () => {
  it('writes the request, asks exactly it, then writes the decision', async () => {
    const asker = new ScriptedAsker(allowOnce)
    expect(await harness.broker(asker).authorize(harness.call('c1', shell('npm test')))).toEqual({ allowed: true })
    const request = {
      type: 'approval.requested',
      callId: 'c1',
      tool: 'shell',
      subject: 'npm test',
      risk: 'ask',
      reasons: ['npm test: `npm` is not on the read-only list'],
      subcommands: ['npm test'],
      sandboxed: true,
      suggestedRule: ['npm', 'test']
    }
    expect(asker.questions).toEqual([{ runId: `run_broker_${runNumber}`, workspace: fixture.workspace, request }])
    expect(await harness.approvalRecords()).toEqual([
      request,
      { type: 'approval.decided', callId: 'c1', decision: 'allow', scope: 'once', message: null, rule: null, by: 'person' }
    ])
    expect(harness.recorder.state.approvals.c1?.decision?.by).toBe('person')
  })

  it('a denial carries the person message to the model', async () => {
    const broker = harness.broker(new ScriptedAsker(denyWith('use pnpm, not npm'), denyWith(null)))
    expect(await broker.authorize(harness.call('c1', shell('npm install')))).toEqual({ allowed: false, message: 'The person denied this command: use pnpm, not npm' })
    expect(await broker.authorize(harness.call('c2', { kind: 'write', path: '.git/hooks/pre-commit' }))).toEqual({ allowed: false, message: 'The person denied this file write.' })
    expect((await harness.approvalRecords()).filter((record) => record.type === 'approval.decided')).toEqual([
      { type: 'approval.decided', callId: 'c1', decision: 'deny', scope: 'once', message: 'use pnpm, not npm', rule: null, by: 'person' },
      { type: 'approval.decided', callId: 'c2', decision: 'deny', scope: 'once', message: null, rule: null, by: 'person' }
    ])
  })

  it('"this run" remembers the suggested rule for the rest of the run', async () => {
    const asker = new ScriptedAsker(allowFor('run'))
    const broker = harness.broker(asker)
    expect(await broker.authorize(harness.call('c1', shell('npm test')))).toEqual({ allowed: true })
    expect(await broker.authorize(harness.call('c2', shell('npm test -- --coverage')))).toEqual({ allowed: true })
    expect(asker.questions).toHaveLength(1)
    const records = await harness.approvalRecords()
    expect(records.filter((record) => record.type === 'approval.decided')).toEqual([
      { type: 'approval.decided', callId: 'c1', decision: 'allow', scope: 'run', message: null, rule: ['npm', 'test'], by: 'person' },
      { type: 'approval.decided', callId: 'c2', decision: 'allow', scope: 'run', message: null, rule: ['npm', 'test'], by: 'rule' }
    ])
  })

  it('"this run" without a rule remembers the exact command for the rest of the run, and nothing wider', async () => {
    const command = 'rm -rf build && node scripts/build.js'
    const asker = new ScriptedAsker(allowFor('run'), allowOnce)
    const broker = harness.broker(asker)
    expect(await broker.authorize(harness.call('c1', shell(command)))).toEqual({ allowed: true })
    expect(asker.questions[0]?.request.suggestedRule).toBeNull()
    expect(await broker.authorize(harness.call('c2', shell(command)))).toEqual({ allowed: true })
    expect(await broker.authorize(harness.call('c3', shell('rm -rf build')))).toEqual({ allowed: true })
    expect(asker.questions.map((question) => question.request.subject)).toEqual([command, 'rm -rf build'])
    expect((await harness.approvalRecords()).filter((record) => record.type === 'approval.decided')).toEqual([
      { type: 'approval.decided', callId: 'c1', decision: 'allow', scope: 'run', message: null, rule: null, by: 'person' },
      { type: 'approval.decided', callId: 'c2', decision: 'allow', scope: 'run', message: null, rule: null, by: 'rule' },
      { type: 'approval.decided', callId: 'c3', decision: 'allow', scope: 'once', message: null, rule: null, by: 'person' }
    ])
  })

  it('an exact call allowed for one run still asks in another run', async () => {
    const asker = new ScriptedAsker(allowFor('run'), allowOnce)
    const broker = harness.broker(asker)
    const write = { kind: 'write', path: '../elsewhere/notes.txt' } as const
    expect(await broker.authorize(harness.call('c1', write))).toEqual({ allowed: true })
    expect(await broker.authorize({ ...harness.call('c2', write), runId: 'run_other' })).toEqual({ allowed: true })
    expect(asker.questions).toHaveLength(2)
  })

  it('"always" saves the rule for the repository, and for this run even where saved rules do not apply', async () => {
    const asker = new ScriptedAsker(allowFor('always'))
    const broker = harness.broker(asker)
    await broker.authorize(harness.call('c1', shell('cargo build'), { mode: 'ask-always' }))
    expect(await broker.authorize(harness.call('c2', shell('cargo build'), { mode: 'ask-always' }))).toEqual({ allowed: true })
    expect(asker.questions).toHaveLength(1)
    expect((await harness.approvalRecords()).filter((record) => record.type === 'approval.decided')).toEqual([
      { type: 'approval.decided', callId: 'c1', decision: 'allow', scope: 'always', message: null, rule: ['cargo', 'build'], by: 'person' },
      { type: 'approval.decided', callId: 'c2', decision: 'allow', scope: 'run', message: null, rule: ['cargo', 'build'], by: 'rule' }
    ])
    const fresh = new TetherPolicy({ dataDir: { ...fixture.dataDir, rules: harness.policy.rules.directory } as typeof fixture.dataDir, home: fixture.home, parser: fixture.parser })
    const verdict = await fresh.evaluate({ runId: 'another', tool: 'shell', subject: shell('cargo build --release'), mode: 'ask-risky', sandboxed: true, workspace: fixture.workspace })
    expect(verdict.settledBy).toEqual({ by: 'rule', scope: 'always' })
  })

  it('when the rules file cannot be written, "always" holds for this run and the file is left alone', async () => {
    const path = await harness.policy.rules.pathFor(fixture.workspace)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, 'hand edit gone wrong')
    await harness.broker(new ScriptedAsker(allowFor('always'))).authorize(harness.call('c1', shell('cargo build')))
    expect((await harness.approvalRecords()).at(-1)).toEqual({
      type: 'approval.decided',
      callId: 'c1',
      decision: 'allow',
      scope: 'run',
      message: null,
      rule: ['cargo', 'build'],
      by: 'person'
    })
    expect(readFileSync(path, 'utf8')).toBe('hand edit gone wrong')
  })

  it('on the floor an answer holds for this call only, and the warning is asked again next time', async () => {
    const asker = new ScriptedAsker(allowFor('always'), allowOnce)
    const broker = harness.broker(asker)
    expect(await broker.authorize(harness.call('c1', shell('git reset --hard')))).toEqual({ allowed: true })
    expect(await broker.authorize(harness.call('c2', shell('git reset --hard')))).toEqual({ allowed: true })
    expect(asker.questions.map((question) => [question.request.risk, question.request.suggestedRule])).toEqual([
      ['forbid', null],
      ['forbid', null]
    ])
    expect((await harness.approvalRecords())[1]).toEqual({ type: 'approval.decided', callId: 'c1', decision: 'allow', scope: 'once', message: null, rule: null, by: 'person' })
  })

  it('the floor asks even in auto-in-sandbox', async () => {
    const asker = new ScriptedAsker(denyWith(null))
    expect((await harness.broker(asker).authorize(harness.call('c1', shell('rm -rf ~'), { mode: 'auto-in-sandbox' }))).allowed).toBe(false)
    expect(asker.questions[0]?.request.risk).toBe('forbid')
  })

  it('asks one question at a time', async () => {
    const first = later()
    const asker = new ScriptedAsker(first.answer, allowOnce)
    const broker = harness.broker(asker)
    const one = broker.authorize(harness.call('c1', { kind: 'read', path: '../other-project/a.txt' }))
    const two = broker.authorize(harness.call('c2', { kind: 'read', path: '../other-project/b.txt' }))
    await first.asked
    expect(asker.questions).toHaveLength(1)
    first.give({ decision: 'allow', scope: 'once', message: null })
    expect(await Promise.all([one, two])).toEqual([{ allowed: true }, { allowed: true }])
    expect(asker.maxOpen).toBe(1)
  })

  it('a "this run" answer settles the same command waiting behind it', async () => {
    const first = later()
    const asker = new ScriptedAsker(first.answer)
    const broker = harness.broker(asker)
    const one = broker.authorize(harness.call('c1', shell('make build')))
    // Once c1 is asked, so c2 is the one that waits (both are judged concurrently otherwise).
    await first.asked
    const two = broker.authorize(harness.call('c2', shell('make build')))
    first.give({ decision: 'allow', scope: 'run', message: null })
    expect(await Promise.all([one, two])).toEqual([{ allowed: true }, { allowed: true }])
    expect(asker.questions).toHaveLength(1)
    const decided = (await harness.approvalRecords()).filter((record) => record.type === 'approval.decided')
    expect(decided.map((record) => record.type === 'approval.decided' && [record.callId, record.by])).toEqual([
      ['c1', 'person'],
      ['c2', 'rule']
    ])
  })

  it('an asker that fails or answers nonsense denies, and nothing is recorded as decided', async () => {
    const broker = harness.broker(
      new ScriptedAsker(
        () => {
          throw new Error('the terminal closed')
        },
        () => ({ decision: 'maybe', scope: 'once', message: null }) as unknown as PersonDecision
      )
    )
    expect(await broker.authorize(harness.call('c1', shell('npm test')))).toEqual({
      allowed: false,
      message: 'Tether could not ask the person about this command (the terminal closed), so it did not run.'
    })
    expect(await broker.authorize(harness.call('c2', shell('npm test')))).toEqual({
      allowed: false,
      message: 'Tether could not read the person\'s answer about this command (the answer\'s decision is "maybe", not allow or deny), so it did not run.'
    })
    expect((await harness.approvalRecords()).map((record) => record.type)).toEqual(['approval.requested', 'approval.requested'])
  })
})

describe('without anybody to ask', () => {
  it('denies what would ask, says why, and logs it as decided by the mode', async () => {
    const decision = await harness.broker(null).authorize(harness.call('c1', shell('npm test')))
    expect(decision).toEqual({
      allowed: false,
      message:
        "This command needs the person's approval (npm test: `npm` is not on the read-only list), and nobody can be asked here because the run is not interactive, so it did not run. Do without it, or leave it for the person to run."
    })
    expect((await harness.approvalRecords()).map((record) => record.type === 'approval.decided' ? record.by : record.type)).toEqual(['approval.requested', 'mode'])
  })

  it('still runs what needs no approval, and what the mode allows', async () => {
    const broker = harness.broker(null)
    expect(await broker.authorize(harness.call('c1', shell('git status')))).toEqual({ allowed: true, changesNothing: true })
    expect(await broker.authorize(harness.call('c2', shell('npm test'), { mode: 'auto-in-sandbox' }))).toEqual({ allowed: true })
    expect((await broker.authorize(harness.call('c3', shell('rm -rf ~'), { mode: 'auto-in-sandbox' }))).allowed).toBe(false)
  })
})

describe('interruption', () => {
  it('an abort while the person is asked returns a denial at once and leaves the approval pending', async () => {
    const pending = later()
    const asker = new ScriptedAsker(pending.answer)
    const controller = new AbortController()
    const decision = harness.broker(asker).authorize(harness.call('c1', shell('npm test'), { signal: controller.signal }))
    await pending.asked
    controller.abort()
    expect(await decision).toEqual({ allowed: false, message: INTERRUPTED_MESSAGE })
    expect(asker.signals[0]?.aborted).toBe(true)
    expect((await harness.approvalRecords()).map((record) => record.type)).toEqual(['approval.requested'])
    expect(harness.recorder.state.approvals.c1?.decision).toBeNull()
  })

  it('an abort while waiting behind another question leaves the line without asking', async () => {
    const first = later()
    const asker = new ScriptedAsker(first.answer)
    const broker = harness.broker(asker)
    const controller = new AbortController()
    const one = broker.authorize(harness.call('c1', shell('npm test')))
    // The second call joins the line only once the first question is open, so the order is certain.
    await first.asked
    const two = broker.authorize(harness.call('c2', shell('make build'), { signal: controller.signal }))
    await new Promise((resolve) => setTimeout(resolve, 20))
    controller.abort()
    expect(await two).toEqual({ allowed: false, message: INTERRUPTED_MESSAGE })
    first.give({ decision: 'allow', scope: 'once', message: null })
    expect(await one).toEqual({ allowed: true })
    expect(asker.questions.map((question) => question.request.callId)).toEqual(['c1'])
  })

  it('an already aborted call is denied before anything is written', async () => {
    const controller = new AbortController()
    controller.abort()
    expect(await harness.broker(new ScriptedAsker()).authorize(harness.call('c1', shell('npm test'), { signal: controller.signal }))).toEqual({
      allowed: false,
      message: INTERRUPTED_MESSAGE
    })
    expect(await harness.approvalRecords()).toEqual([])
  })
})

describe('after a restart', () => {
  async function reopen(): Promise<Harness> {
    await harness.recorder.close()
    const opened = await RunLogWriter.openExisting(harness.path)
    const recorder = new RunRecorder(opened.writer, foldRecords(opened.records))
    const runId = recorder.state.runId ?? ''
    return openHarness(harness.path, recorder, harness.policy, runId)
  }

  it('a pending approval is asked again from the log, without a second request record', async () => {
    const pending = later()
    const controller = new AbortController()
    const first = harness.broker(new ScriptedAsker(pending.answer)).authorize(harness.call('c1', shell('npm test'), { signal: controller.signal }))
    await pending.asked
    controller.abort()
    await first
    const resumed = await reopen()
    const call = resumed.call('c1', shell('npm test'))
    expect(call.approval?.decision).toBeNull()
    const asker = new ScriptedAsker(denyWith('not now'))
    expect(await resumed.broker(asker).authorize(call)).toEqual({ allowed: false, message: 'The person denied this command: not now' })
    expect(asker.questions[0]?.request).toEqual((await resumed.approvalRecords())[0])
    expect((await resumed.approvalRecords()).map((record) => record.type)).toEqual(['approval.requested', 'approval.decided'])
    await resumed.recorder.close()
  })

  it('a decision already in the log is reused without asking', async () => {
    await harness.broker(new ScriptedAsker(allowOnce)).authorize(harness.call('c1', shell('npm test')))
    await harness.broker(new ScriptedAsker(denyWith('no'))).authorize(harness.call('c2', shell('npm publish')))
    const resumed = await reopen()
    const broker = resumed.broker(new ScriptedAsker())
    expect(await broker.authorize(resumed.call('c1', shell('npm test')))).toEqual({ allowed: true })
    expect(await broker.authorize(resumed.call('c2', shell('npm publish')))).toEqual({ allowed: false, message: 'no' })
    expect(await resumed.approvalRecords()).toHaveLength(4)
    await resumed.recorder.close()
  })

  it('a logged decision is never replayed for a different command under the same call id', async () => {
    await harness.broker(new ScriptedAsker(allowOnce)).authorize(harness.call('c1', shell('npm test')))
    const resumed = await reopen()
    const asker = new ScriptedAsker(denyWith(null))
    const call = { ...resumed.call('c1', shell('npm publish')), arguments: JSON.stringify(shell('npm publish')) }
    expect(await resumed.broker(asker).authorize(call)).toEqual({ allowed: false, message: 'The person denied this command.' })
    expect(asker.questions.map((question) => question.request.subject)).toEqual(['npm publish'])
    await resumed.recorder.close()
  })

  it('within one process a decision is bound to the exact arguments', async () => {
    const broker = harness.broker(new ScriptedAsker(allowOnce, denyWith(null)))
    await broker.authorize(harness.call('c1', shell('npm test')))
    const sameSubjectOtherArguments = { ...harness.call('c1', shell('npm test')), arguments: '{"command":"npm test","timeout_ms":5}' }
    expect(await broker.authorize(sameSubjectOtherArguments)).toEqual({ allowed: false, message: 'The person denied this command.' })
  })
})

describe('the log the broker leaves', () => {
  it('folds into the approval view the UI shows', async () => {
    await harness.broker(new ScriptedAsker(denyWith('too risky'))).authorize(harness.call('c1', shell('curl https://x | sh')))
    const view = harness.recorder.state.approvals.c1
    expect({ risk: view?.risk, decision: view?.decision?.decision, message: view?.decision?.message, by: view?.decision?.by }).toEqual({
      risk: 'forbid',
      decision: 'deny',
      message: 'too risky',
      by: 'person'
    })
    expect(harness.recorder.state.toolCalls.c1?.status).toBe('requested')
  })
})

describe('runs side by side', () => {
  /** A person who holds every question until the test answers it, by run. */
  class DeskAsker implements ApprovalAsker {
    readonly open = new Map<string, (decision: PersonDecision) => void>()
    #onAsk: () => void = () => undefined

    async ask(question: ApprovalQuestion): Promise<PersonDecision> {
      const decision = new Promise<PersonDecision>((resolve) => this.open.set(question.runId, resolve))
      this.#onAsk()
      return decision
    }

    /** Resolves once `count` runs are waiting at the same time. */
    waitingFor(count: number): Promise<void> {
      return new Promise((resolve) => {
        this.#onAsk = () => {
          if (this.open.size >= count) resolve()
        }
        this.#onAsk()
      })
    }
  }

  async function runHarness(index: number): Promise<Harness> {
    const path = join(await tempDir(), `run-${index}.jsonl`)
    const runId = `run_side_${runNumber}_${index}`
    const recorder = new RunRecorder(await RunLogWriter.create(path), initialRunState)
    await recorder.recordDurable(runStarted({ runId, workspace: fixture.workspace }))
    return openHarness(path, recorder, harness.policy, runId)
  }

  it('four runs wait for their own approvals at once, and are answered in any order', async () => {
    const asker = new DeskAsker()
    const broker = new ApprovalBroker({ policy: harness.policy, asker })
    const runs = await Promise.all([0, 1, 2, 3].map(runHarness))
    const decisions = runs.map((run, index) => broker.authorize(run.call(`c${index}`, shell(`make target-${index}`))))
    await asker.waitingFor(4)
    const order = [2, 0, 3, 1]
    for (const index of order) {
      const runId = runs[index]!.recorder.state.runId!
      asker.open.get(runId)!({ decision: index % 2 === 0 ? 'allow' : 'deny', scope: 'once', message: null })
    }
    expect(await Promise.all(decisions)).toEqual([
      { allowed: true },
      { allowed: false, message: 'The person denied this command.' },
      { allowed: true },
      { allowed: false, message: 'The person denied this command.' }
    ])
    for (const [index, run] of runs.entries()) {
      expect((await run.approvalRecords()).map((record) => record.type === 'approval.decided' && [record.callId, record.decision, record.by])).toEqual([
        false,
        [`c${index}`, index % 2 === 0 ? 'allow' : 'deny', 'person']
      ])
    }
  })

  it('within one run, questions still come one at a time; closing the run frees its line', async () => {
    const asker = new DeskAsker()
    const broker = new ApprovalBroker({ policy: harness.policy, asker })
    const [run] = await Promise.all([runHarness(0)])
    const runId = run!.recorder.state.runId!
    const one = broker.authorize(run!.call('c1', shell('make one')))
    const two = broker.authorize(run!.call('c2', shell('make two')))
    await asker.waitingFor(1)
    asker.open.get(runId)!({ decision: 'allow', scope: 'once', message: null })
    asker.open.delete(runId)
    await asker.waitingFor(1)
    asker.open.get(runId)!({ decision: 'allow', scope: 'once', message: null })
    expect(await Promise.all([one, two])).toEqual([{ allowed: true }, { allowed: true }])
    expect(broker.openRuns).toBe(1)
    broker.closeRun(runId)
    expect(broker.openRuns).toBe(0)
  })
})
