import { createHash } from 'node:crypto'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bundleForNode } from '../../test-support/node-bundle'
import { useTempDirs } from '../../test-support/temp-dir'
import { resolveEntryPoint } from '../tools/entry-point'
import { EntryReaderThread, listFolder, readEntriesAt } from './entry-reader'
import type { ReaderReply } from './entry-reader-protocol'
import { WorkspaceDir } from './workspace-dir'

const tempDir = useTempDirs('tether-entry-reader-')

const sha256 = (content: Buffer): string => createHash('sha256').update(content).digest('hex')

async function readAll(root: string, names: string[]): Promise<{ name: string; hash: string | null; content: string | null }[]> {
  const folder = await WorkspaceDir.openRoot(root)
  try {
    const reads = await readEntriesAt(folder, names.map((name) => ({ name })))
    return reads.map((read, index) => ({
      name: names[index]!,
      hash: read?.entry.kind === 'file' ? read.entry.hash : null,
      content: read?.content === null || read === null ? null : sha256(read.content)
    }))
  } finally {
    await folder.close()
  }
}

describe('the entry reader', () => {
  it('reads a folder of more files than one request carries, each in its place', async () => {
    const root = await tempDir()
    const names = Array.from({ length: 600 }, (_, index) => `file${index}.txt`)
    await Promise.all(names.map((name, index) => writeFile(join(root, name), `content ${index}\n`)))
    const expected = names.map((name, index) => {
      const hash = sha256(Buffer.from(`content ${index}\n`))
      return { name, hash, content: hash }
    })
    expect(await readAll(root, [...names, 'missing.txt'])).toEqual([...expected, { name: 'missing.txt', hash: null, content: null }])
  })

  it('leaves what a request cannot hold for the next one, and reads every file whole', async () => {
    const root = await tempDir()
    const contents = [3, 3, 3, 1].map((megabytes, index) => Buffer.alloc(megabytes * 1024 * 1024, 97 + index))
    await Promise.all(contents.map((content, index) => writeFile(join(root, `big${index}`), content)))
    const names = contents.map((_, index) => `big${index}`)
    expect(await readAll(root, names)).toEqual(contents.map((content, index) => ({ name: names[index], hash: sha256(content), content: sha256(content) })))
  })

  it('lists a folder with what each name is, a name that is not UTF-8 included', async () => {
    const root = await tempDir()
    await mkdir(join(root, 'sub'))
    await writeFile(join(root, 'a.txt'), 'a')
    await symlink('a.txt', join(root, 'link'))
    execFileSync('mkfifo', [join(root, 'pipe')])
    await writeFile(Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0x6e, 0xff])]), 'not utf-8')
    const folder = await WorkspaceDir.openRoot(root)
    try {
      expect((await listFolder(folder))?.sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual([
        { name: 'a.txt', kind: 'file' },
        { name: 'link', kind: 'link' },
        { name: 'n\udcff', kind: 'file' },
        { name: 'pipe', kind: 'other' },
        { name: 'sub', kind: 'dir' }
      ])
    } finally {
      await folder.close()
    }
  })

  it('fails what waited on a worker that died, and starts another for the next request', async () => {
    const root = await tempDir()
    const script = join(root, 'dies-once.mjs')
    await writeFile(
      script,
      [
        "import { existsSync, writeFileSync } from 'node:fs'",
        "import { parentPort } from 'node:worker_threads'",
        "const marker = new URL('./died', import.meta.url)",
        `if (existsSync(marker)) await import(${JSON.stringify(resolveEntryPoint('entry-reader'))})`,
        "else parentPort.once('message', () => { writeFileSync(marker, ''); process.exit(3) })"
      ].join('\n')
    )
    const thread = new EntryReaderThread({ entry: script })
    await expect(thread.request({ kind: 'list', path: root })).rejects.toThrow('the workspace reader stopped: it exited with code 3')
    const reply = await thread.request({ kind: 'list', path: root })
    expect(reply.kind === 'list' ? reply.listing?.map(({ name }) => name).sort() : reply).toEqual(['died', 'dies-once.mjs'])
  })

  it('fails the request a silent worker is stuck on, and sends the ones queued behind it and later ones to a new worker', async () => {
    const root = await tempDir()
    // The first worker blocks for good on its first request. (It can still be stopped, so nothing
    // of it is left when this test's process exits; a read stuck in the kernel is the next test's.)
    const script = join(root, 'hangs-once.mjs')
    await writeFile(
      script,
      [
        "import { existsSync, writeFileSync } from 'node:fs'",
        "import { parentPort } from 'node:worker_threads'",
        "const marker = new URL('./hung', import.meta.url)",
        `if (existsSync(marker)) await import(${JSON.stringify(resolveEntryPoint('entry-reader'))})`,
        "else parentPort.once('message', () => { writeFileSync(marker, ''); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0) })"
      ].join('\n')
    )
    const thread = new EntryReaderThread({ entry: script, silenceLimitMs: 1_000 })
    const names = (reply: ReaderReply): unknown => (reply.kind === 'list' ? reply.listing?.map(({ name }) => name).sort() : reply)
    const stuck = thread.request({ kind: 'list', path: root })
    // Sent while the first is stuck: the worker has not begun it, so it goes to the next worker.
    while (!existsSync(join(root, 'hung'))) await new Promise((resolve) => setTimeout(resolve, 10))
    const queued = thread.request({ kind: 'list', path: root })
    await expect(stuck).rejects.toThrow(
      'the workspace reader made no progress for 1 s: a read may be stuck in a file system that stopped answering (a network or FUSE mount); later reads go to a new reader'
    )
    expect(names(await queued)).toEqual(['hangs-once.mjs', 'hung'])
    expect(names(await thread.request({ kind: 'list', path: root }))).toEqual(['hangs-once.mjs', 'hung'])
  })

  it('waits on a worker that is slow but making progress, past the silence limit', async () => {
    const root = await tempDir()
    const script = join(root, 'slow.mjs')
    // Thirty items a tenth of a second apart: three seconds for one request, against a limit of two.
    await writeFile(
      script,
      [
        "import { parentPort, workerData } from 'node:worker_threads'",
        'const progress = new Int32Array(workerData.progress)',
        "parentPort.on('message', (request) => {",
        '  let items = 0',
        '  const timer = setInterval(() => {',
        '    Atomics.add(progress, 0, 1)',
        '    if (++items < 30) return',
        '    clearInterval(timer)',
        "    parentPort.postMessage({ kind: 'list', id: request.id, listing: [], failure: null })",
        '  }, 100)',
        '})'
      ].join('\n')
    )
    const thread = new EntryReaderThread({ entry: script, silenceLimitMs: 2_000 })
    expect(await thread.request({ kind: 'list', path: root })).toEqual({ kind: 'list', id: 1, listing: [], failure: null })
  })

  it('lets the process end when the worker it let go is still stuck', async () => {
    const root = await tempDir()
    const fifo = join(root, 'stuck')
    execFileSync('mkfifo', [fifo])
    const worker = join(root, 'hangs.mjs')
    await writeFile(worker, `import { readFileSync } from 'node:fs'\nimport { parentPort } from 'node:worker_threads'\nparentPort.once('message', () => readFileSync(${JSON.stringify(fifo)}))`)
    const script = await bundleForNode('src-main/test-support/children/stuck-reader-exit.ts', root)
    // Node waits for every thread as a process exits: without the kill, this would wait for good.
    const ended = spawnSync(process.execPath, [script, worker, root], { encoding: 'utf8', timeout: 60_000 })
    expect({ stdout: ended.stdout, signal: ended.signal }).toEqual({ stdout: 'let go', signal: 'SIGKILL' })
  }, 120_000)
})
