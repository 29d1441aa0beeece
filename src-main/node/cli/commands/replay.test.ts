// `tether replay` as a person runs it: the built CLI in a child process.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ServerEvent } from '../../../common/protocol/wire'
import type { RunRecordBody } from '../../../common/run/records'
import { ensureBuiltCli, runCli } from '../../../test-support/built-cli'
import { poisoned, TERMINAL_CONTROL } from '../../../test-support/cli/hostile-text'
import { SAMPLE_ARGS, sampleRun } from '../../../test-support/sample-run'
import { useTempDirs } from '../../../test-support/temp-dir'
import { RunLogWriter } from '../../store/run-log-writer'

const FIXTURE = join(import.meta.dirname, '..', '..', '..', 'test-support', 'fixtures', 'weather-two-turns.jsonl')
const tempDir = useTempDirs('tether-cli-replay-')
const NOT_REPLAYABLE = 'neither a Tether run log nor a stream of Responses server events'

/** The summary of the worked example: a tool call in the first response, the answer in the second. */
const WEATHER_SUMMARY = {
  status: 'completed',
  responses: [
    { id: 'resp_A', status: 'completed', incompleteReason: null },
    { id: 'resp_B', status: 'completed', incompleteReason: null }
  ],
  messages: ["It's 18 °C and cloudy in Paris."],
  output: [
    { type: 'reasoning', summary: [], text: [] },
    { type: 'function_call', callId: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris"}' },
    { type: 'message', text: "It's 18 °C and cloudy in Paris.", refusal: null, phase: null }
  ],
  toolCalls: [{ callId: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'requested' }],
  usage: {
    input_tokens: 252,
    input_tokens_details: { cached_tokens: 128, cache_write_tokens: 0 },
    output_tokens: 55,
    output_tokens_details: { reasoning_tokens: 24 },
    total_tokens: 307
  },
  errors: []
}

async function writeLog(bodies: RunRecordBody[]): Promise<string> {
  const path = join(await tempDir(), 'run.jsonl')
  let now = 1_767_225_600_000
  const writer = await RunLogWriter.create(path, () => (now += 10) - 10)
  for (const body of bodies) writer.append(body)
  await writer.close()
  return path
}

beforeAll(ensureBuiltCli, 120_000)

describe('tether replay on a raw event stream', () => {
  it('prints the transcript of a JSONL stream', async () => {
    expect(await runCli(['replay', FIXTURE])).toEqual({
      code: 0,
      stdout: ['call get_weather {"city":"Paris"} [requested]', '', 'assistant:', "  It's 18 °C and cloudy in Paris.", '', 'status: completed', ''].join('\n'),
      stderr: ''
    })
  })

  it('prints exactly one JSON object with --json', async () => {
    const result = await runCli(['replay', '--json', FIXTURE])
    expect(result.code).toBe(0)
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1)
    expect(JSON.parse(result.stdout)).toEqual(WEATHER_SUMMARY)
  })

  it('reads the same stream as SSE text', async () => {
    const lines = (await readFile(FIXTURE, 'utf8')).trim().split('\n')
    const sse = lines.map((line) => `event: ${(JSON.parse(line) as ServerEvent).type}\ndata: ${line}\n\n`).join('') + 'data: [DONE]\n\n'
    const path = join(await tempDir(), 'stream.sse')
    await writeFile(path, sse)
    const result = await runCli(['replay', '--json', path])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual(WEATHER_SUMMARY)
  })

  it('stops after the given event with --until', async () => {
    // Events 0..3: created, in_progress and the reasoning item of the first response.
    const result = await runCli(['replay', '--json', '--until', '3', FIXTURE])
    expect(JSON.parse(result.stdout)).toEqual({
      status: 'in_progress',
      responses: [{ id: 'resp_A', status: 'in_progress', incompleteReason: null }],
      messages: [],
      output: [{ type: 'reasoning', summary: [], text: [] }],
      toolCalls: [],
      usage: null,
      errors: []
    })
  })
})

describe('tether replay on a run log', () => {
  it('never writes a control, escape or bidi character from the model, a tool or the log to the terminal', async () => {
    const result = await runCli(['replay', await writeLog(poisoned(sampleRun()))])
    expect({ code: result.code, control: TERMINAL_CONTROL.exec(result.stdout)?.[0] ?? null }).toEqual({ code: 0, control: null })
    expect(result.stdout).toContain('Run the tests\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J')
    expect(result.stdout).toContain('"npm test"}\\x1b]52')
    expect(result.stdout).toContain('\\u202egnp.exe\\x0d')
  })

  it('prints the transcript and the run metrics', async () => {
    const result = await runCli(['replay', await writeLog(sampleRun())])
    expect(result).toEqual({
      code: 0,
      stdout: [
        'task:',
        '  Run the tests',
        '',
        'thinking:',
        '  Run npm test first.',
        '',
        `call shell ${SAMPLE_ARGS} [ok]`,
        '',
        'result of shell (ok, exit 0):',
        '  │ ok 12 tests',
        '',
        'assistant (dropped with the connection):',
        '  All 12 tests',
        '',
        'assistant:',
        '  All 12 tests pass.',
        '',
        '(interrupted by the person)',
        '',
        'steer:',
        '  Also run the linter',
        '',
        'status: completed',
        '',
        'run completed',
        '',
        'metrics:',
        '  turns 2 (0 incremental, 2 full), 3300 bytes sent',
        '  first event median 270 ms, turn median 1100 ms',
        '  tool calls 1, run median 1800 ms, waiting for approval 0 ms, for the tool host 9 ms',
        '  reconnects 1, rotations 0',
        `  duration ${(sampleRun().length - 1) * 10} ms`,
        ''
      ].join('\n'),
      stderr: ''
    })
  })

  it('names a corrupt line in the middle and replays the rest', async () => {
    const path = await writeLog(sampleRun())
    const lines = (await readFile(path, 'utf8')).split('\n')
    lines[2] = lines[2]!.replace('Run the tests', 'Run the tesXs')
    await writeFile(path, lines.join('\n'))
    const text = await runCli(['replay', path])
    expect(text.code).toBe(0)
    expect(text.stderr.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^tether replay: ${path}: line 3: checksum mismatch \\(stored [0-9a-f]{8}, computed [0-9a-f]{8}\\)$`)),
      `tether replay: ${path}: line 4: seq 3 after 1: missing records before this one`,
      ''
    ])
    expect(text.stdout).toContain('assistant:\n  All 12 tests pass.')
    const json = JSON.parse((await runCli(['replay', '--json', path])).stdout) as { messages: string[]; errors: unknown[] }
    expect(json.messages).toEqual(['All 12 tests pass.'])
    expect(json.errors).toEqual([
      { code: 'corrupt_record', message: expect.stringMatching(/^line 3: checksum mismatch/) },
      { code: 'corrupt_record', message: 'line 4: seq 3 after 1: missing records before this one' }
    ])
  })

  it('replays a log whose last line was torn, and says so', async () => {
    const path = await writeLog(sampleRun())
    await writeFile(path, `${await readFile(path, 'utf8')}{"v":1,"seq":99,"ts":17`)
    const result = await runCli(['replay', '--json', path])
    expect(result.code).toBe(0)
    expect((JSON.parse(result.stdout) as { status: string; errors: unknown[] }).errors).toEqual([
      { code: 'torn_tail', message: 'the last 23 bytes are an unfinished line' }
    ])
  })
})

describe('tether replay on bad input', () => {
  it('exits 2 with one line for a file that is neither a run log nor an event stream', async () => {
    const folder = await tempDir()
    const files: Record<string, string | Buffer> = {
      'notes.txt': 'remember to buy milk\n',
      'empty.jsonl': '',
      'package.json': '{"name":"tether","version":"0.1.0"}\n',
      'rollout.jsonl': '{"timestamp":"2026-01-01T00:00:00Z","type":"session_meta","payload":{"id":"abc"}}\n',
      'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00])
    }
    for (const [name, contents] of Object.entries(files)) {
      const path = join(folder, name)
      await writeFile(path, contents)
      expect(await runCli(['replay', path])).toEqual({ code: 2, stdout: '', stderr: `tether replay: ${path}: ${NOT_REPLAYABLE}\n` })
    }
    // `-` with nothing piped in is no log either.
    expect(await runCli(['replay', '-'])).toEqual({ code: 2, stdout: '', stderr: `tether replay: standard input: ${NOT_REPLAYABLE}\n` })
  })

  it('exits 2 for a missing file and for bad arguments', async () => {
    expect(await runCli(['replay', '/nonexistent/run.jsonl'])).toEqual({ code: 2, stdout: '', stderr: 'tether replay: /nonexistent/run.jsonl: no such file\n' })
    expect(await runCli(['replay', '--until', 'soon', FIXTURE])).toEqual({ code: 2, stdout: '', stderr: "tether replay: --until needs an integer, got 'soon'\n" })
    const noFile = await runCli(['replay'])
    expect(noFile.code).toBe(2)
    expect(noFile.stderr.split('\n')[0]).toBe('tether replay: expected exactly one FILE')
    expect(await runCli(['replay', import.meta.dirname])).toEqual({ code: 2, stdout: '', stderr: `tether replay: ${import.meta.dirname}: is a directory, not a log\n` })
    const unknown = await runCli(['replay', '--bogus', FIXTURE])
    expect({ code: unknown.code, stdout: unknown.stdout, firstLine: unknown.stderr.split('\n')[0]?.startsWith("tether replay: Unknown option '--bogus'") }).toEqual({ code: 2, stdout: '', firstLine: true })
  })

  it('prints its usage with --help', async () => {
    const result = await runCli(['replay', '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout.split('\n')[0]).toBe('usage: tether replay FILE|- [--json] [--until SEQ]')
  })
})
