// Test fixtures for the host: a data dir in a temp folder, a real run log written by the real
// writer, and a host composed without a tool runtime (tests that need runs bring real ones).
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { RunRecordBody } from '../../common/run/records'
import { requestSent, runStarted, serverEvents, userTask } from '../run-records'
import { ResponseStream, wireUsage } from '../wire-events'
import { DataDir } from '../../node/store/data-dir'
import { RunLogWriter } from '../../node/store/run-log-writer'
import { findAppPaths } from '../../node/host/app-paths'
import { HostError } from '../../node/host/host-error'
import { FileKeyStore } from '../../node/host/key-store'
import { TetherHost, type HostOptions } from '../../node/host/tether-host'

export const RUN_ID = 'run_20260101T000000Z_abc123'

export interface HostFixture {
  folder: string
  dataDir: DataDir
  workspace: string
  host: TetherHost
  dispose(): Promise<void>
}

/** A host on a fresh data dir, or (with `overrides.dataDir`) on an existing one, as after a restart. */
export async function createHostFixture(overrides: Partial<HostOptions> = {}): Promise<HostFixture> {
  const folder = overrides.dataDir ? dirname(overrides.dataDir.root) : await mkdtemp(join(tmpdir(), 'tether-host-'))
  const dataDir = overrides.dataDir ?? new DataDir(join(folder, 'data'))
  const workspace = join(folder, 'repo')
  await mkdir(workspace, { recursive: true })
  await mkdir(dataDir.runs, { recursive: true })
  const host = await TetherHost.create({
    kind: 'browser',
    version: '0.0.0-test',
    dataDir,
    keys: new FileKeyStore(dataDir.root),
    env: {},
    resourcesDir: findAppPaths().resources,
    toolServices: async () => {
      throw new HostError('unavailable', 'no tool runtime in this test')
    },
    demoModel: null,
    ...overrides
  })
  return {
    folder,
    dataDir,
    workspace,
    host,
    dispose: async () => {
      await host.close()
      await rm(folder, { recursive: true, force: true })
    }
  }
}

/** A run that streamed a message and asked to run `rm -rf build`, and stopped while it waited. */
export function pendingApprovalRun(workspace: string, runId = RUN_ID): RunRecordBody[] {
  const response = new ResponseStream('resp_1').created().message('msg_1', ['Cleaning ', 'the build.']).functionCall('fc_1', 'call_1', 'shell', ['{"command":"rm -rf build"}']).completed(wireUsage(120, 30))
  return [
    runStarted({ runId, workspace }),
    { type: 'user.input', kind: 'task', text: 'Clean the build folder' },
    requestSent(1, [userTask('Clean the build folder')]),
    ...serverEvents(response.events),
    {
      type: 'approval.requested',
      callId: 'call_1',
      tool: 'shell',
      subject: 'rm -rf build',
      risk: 'ask',
      reasons: ['deletes files recursively'],
      subcommands: ['rm -rf build'],
      sandboxed: true,
      suggestedRule: ['rm', '-rf']
    }
  ]
}

/** Writes `bodies` as a run log; `stepMs` spaces the records' timestamps as a real run would. */
export async function writeRunLog(dataDir: DataDir, runId: string, bodies: RunRecordBody[], stepMs = 0): Promise<void> {
  let now = Date.now() - bodies.length * stepMs
  const writer = await RunLogWriter.create(dataDir.runLog(runId), () => (now += stepMs))
  for (const body of bodies) writer.append(body)
  await writer.close()
}
