// A run that controls the workspace turned against checkpoints and rewinds: links swapped in for
// folders (before and during a restore), names no terminal or UTF-8 decoder should see raw,
// special and huge files, deep trees, .gitignore files written to hide a change, and rewrites
// that keep a file's fingerprint. Each is judged by its effect on the host: what changed outside
// the workspace, what the store kept, what review and rewind saw.
import { execSync, spawn } from 'node:child_process'
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { useTempDirs } from '../../test-support/temp-dir'
import { bash, folderDigest } from '../../test-support/workspace-tree'
import { ChangeJournal, MAX_JOURNAL_PATHS } from './change-journal'
import { readCheckpointLog, manifestAt } from './checkpoint-log'
import { readEntry } from './entry-reader'
import { describeStep, planRestore } from './restore'
import { rewindTo } from './rewind'
import { MAX_DEPTH } from './scan'
import { SnapshotStore } from './snapshot-store'
import { changedFiles } from './workspace-changes'
import { WorkspaceCheckpoints } from './workspace-checkpoints'
import { bytesOfName, nameFromBytes } from './workspace-dir'

const tempDir = useTempDirs('tether-snapshot-attacks-')

describe('checkpoints and rewinds against a hostile workspace', () => {
  const opened: WorkspaceCheckpoints[] = []
  const children: { kill: () => void }[] = []
  afterEach(async () => {
    children.splice(0).forEach((child) => child.kill())
    await Promise.all(opened.splice(0).map((checkpoints) => checkpoints.close()))
  })

  async function setup(): Promise<{ folder: string; workspace: string; outside: string; store: SnapshotStore; checkpoints: WorkspaceCheckpoints }> {
    const folder = await tempDir()
    const workspace = join(folder, 'repo')
    const outside = join(folder, 'outside')
    await mkdir(join(workspace, 'sub', 'inner'), { recursive: true })
    await writeFile(join(workspace, 'a.txt'), 'one\n')
    await writeFile(join(workspace, 'sub', 'b.txt'), 'bee\n')
    await writeFile(join(workspace, 'sub', 'inner', 'c.txt'), 'sea\n')
    await writeFile(join(workspace, '.gitignore'), 'build/\n')
    // What a link could reach: a folder laid out like the workspace's, as ~/.ssh would be.
    await mkdir(join(outside, 'inner'), { recursive: true, mode: 0o750 })
    await writeFile(join(outside, 'b.txt'), 'SECRET KEY\n', { mode: 0o600 })
    await writeFile(join(outside, 'inner', 'c.txt'), 'SECRET TOO\n', { mode: 0o600 })
    const store = new SnapshotStore(join(folder, 'data', 'snapshots'))
    const checkpoints = await WorkspaceCheckpoints.open(store, 'run_1', workspace)
    opened.push(checkpoints)
    return { folder, workspace, outside, store, checkpoints }
  }

  function outsideState(outside: string): string {
    return `${folderDigest(outside)} ${(statSync(outside).mode & 0o7777).toString(8)} ${(statSync(join(outside, 'inner')).mode & 0o7777).toString(8)}`
  }

  async function storedTexts(store: SnapshotStore): Promise<string[]> {
    const texts: string[] = []
    for (const dir of await readdir(store.objects.root)) for (const name of await readdir(join(store.objects.root, dir))) texts.push(await readFile(join(store.objects.root, dir, name), 'utf8'))
    return texts
  }

  it('never writes outside while a folder is swapped for a link again and again during rewinds', async () => {
    const { workspace, outside, checkpoints } = await setup()
    const before = outsideState(outside)
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    bash(workspace, 'echo changed > sub/b.txt && rm sub/inner/c.txt && chmod 700 sub/inner && chmod 700 sub')
    await checkpoints.checkpoint('after', 'call_1', 'shell')
    // A process the run left behind flips `sub` between the real folder and a link to `outside`.
    // (-n: the swapper itself never creates a link inside what an old link points to.)
    const swapper = spawn('bash', ['-c', `while :; do mv -T sub sub.real 2>/dev/null && ln -sfn ${outside} sub && rm -f sub && mv -T sub.real sub 2>/dev/null; done`], { cwd: workspace, stdio: 'ignore', detached: true })
    const stopSwapper = (): void => {
      try {
        process.kill(-swapper.pid!, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    children.push({ kill: stopSwapper })
    const outcomes: number[] = []
    for (let round = 0; round < 12; round += 1) {
      const report = await rewindTo(checkpoints, 'call_1', false)
      outcomes.push(report.outcome!.changed.length)
      expect(outsideState(outside)).toBe(before)
    }
    const exited = new Promise((resolve) => swapper.once('exit', resolve))
    stopSwapper()
    await exited
    bash(workspace, '[ -L sub ] && rm sub; [ -d sub.real ] && rm -rf sub && mv sub.real sub; true')
    expect(outsideState(outside)).toBe(before)
    // Once nothing swaps any more, the rewind completes.
    const last = await rewindTo(checkpoints, 'call_1', false)
    expect(outcomes.length).toBe(12)
    expect({ failed: last.outcome!.failed, b: readFileSync(join(workspace, 'sub', 'b.txt'), 'utf8'), c: readFileSync(join(workspace, 'sub', 'inner', 'c.txt'), 'utf8') }).toEqual({ failed: [], b: 'bee\n', c: 'sea\n' })
  }, 120_000)

  it('reads nothing through a folder a call swapped for a link, and keeps the link as a link', async () => {
    const { workspace, outside, store, checkpoints } = await setup()
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    // The old folder's watch still reports sub/b.txt; `sub` is now a link to outside.
    bash(workspace, `mv sub sub2 && ln -s ${outside} sub && echo more >> sub2/b.txt && echo again >> sub2/inner/c.txt`)
    const after = await checkpoints.checkpoint('after', 'call_1', 'shell')
    expect(after.changed).toEqual(['sub', 'sub/b.txt', 'sub/inner', 'sub/inner/c.txt', 'sub2', 'sub2/b.txt', 'sub2/inner', 'sub2/inner/c.txt'])
    expect(checkpoints.manifest.get('sub')).toMatchObject({ kind: 'link', target: outside })
    expect([...checkpoints.manifest.paths()].filter((path) => path.startsWith('sub/'))).toEqual([])
    expect((await storedTexts(store)).filter((text) => text.includes('SECRET'))).toEqual([])
    await checkpoints.rescan()
    expect((await storedTexts(store)).filter((text) => text.includes('SECRET'))).toEqual([])

    await rewindTo(checkpoints, 'call_1', false)
    expect({ sub: lstatSync(join(workspace, 'sub')).isDirectory(), b: readFileSync(join(workspace, 'sub', 'b.txt'), 'utf8') }).toEqual({ sub: true, b: 'bee\n' })
    expect(readFileSync(join(outside, 'b.txt'), 'utf8')).toBe('SECRET KEY\n')
  })

  it('restores a folder a call replaced by a link to outside without touching what the link reaches', async () => {
    const { workspace, outside, checkpoints } = await setup()
    const before = outsideState(outside)
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    bash(workspace, `mv sub gone && ln -s ${outside} sub && rm a.txt && ln -s ${join(outside, 'b.txt')} a.txt`)
    await checkpoints.checkpoint('after', 'call_1', 'shell')
    await checkpoints.checkpoint('before', 'call_2', 'shell')
    bash(workspace, 'rm -f sub a.txt && mkdir sub && echo new > a.txt')
    await checkpoints.checkpoint('after', 'call_2', 'shell')
    // Back to the links: they are made again as links, pointing where they pointed.
    const report = await rewindTo(checkpoints, 'call_2', false)
    expect(report.outcome!.failed).toEqual([])
    expect({ sub: lstatSync(join(workspace, 'sub')).isSymbolicLink(), a: lstatSync(join(workspace, 'a.txt')).isSymbolicLink() }).toEqual({ sub: true, a: true })
    // And to before both, through the links now in place: the folder comes back, outside stays.
    const back = await rewindTo(checkpoints, 'call_1', false)
    expect(back.outcome!.failed).toEqual([])
    expect(outsideState(outside)).toBe(before)
    expect({ a: readFileSync(join(workspace, 'a.txt'), 'utf8'), b: readFileSync(join(workspace, 'sub', 'b.txt'), 'utf8') }).toEqual({ a: 'one\n', b: 'bee\n' })
  })

  it('sees, shows escaped and rewinds names that are not UTF-8 or hold control characters', async () => {
    const { workspace, checkpoints } = await setup()
    bash(workspace, `printf 'old\\n' > $'keep\\xff'`)
    await checkpoints.rescan()
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    bash(workspace, `printf 'x\\n' > $'\\xff\\xfe.sh' && printf 'y\\n' > $'two\\nlines' && printf 'z\\n' > $'\\e]0;title\\a\\e[2J' && mkdir $'dir\\x80' && printf 'w\\n' > $'dir\\x80/f' && printf 'new\\n' > $'keep\\xff'`)
    const after = await checkpoints.checkpoint('after', 'call_1', 'shell')
    const names = readdirSync(workspace, { encoding: 'buffer' }).map((name) => nameFromBytes(name))
    expect(after.changed).toEqual(['\x1b]0;title\x07\x1b[2J', 'dir\udc80', 'dir\udc80/f', 'keep\udcff', 'two\nlines', '\udcff\udcfe.sh'])
    expect(names.filter((name) => after.changed.includes(name)).length).toBe(5)
    const lines = readCheckpointLog(checkpoints.logPath).then((log) => planRestore(checkpoints.manifest, manifestAt(log, log.length - 3)).steps.map(describeStep))
    expect(await lines).toEqual([
      'delete  \\x1b]0;title\\x07\\x1b[2J',
      'delete  dir\\x80/',
      'delete  dir\\x80/f',
      'restore keep\\xff',
      'delete  two\\nlines',
      'delete  \\xff\\xfe.sh'
    ])
    const report = await rewindTo(checkpoints, 'call_1', false)
    expect(report.outcome!.failed).toEqual([])
    const left = readdirSync(workspace, { encoding: 'buffer' }).map((name) => name.toString('hex')).sort()
    expect(left).toEqual(['.gitignore', 'a.txt', 'sub', 'keep\xff'].map((name) => bytesOfName(name.replace('\xff', '\udcff')).toString('hex')).sort())
    expect(readFileSync(Buffer.concat([Buffer.from(`${workspace}/`), Buffer.from('keep\xff', 'latin1')]), 'utf8')).toBe('old\n')
  })

  it('answers in bounded time and memory with FIFOs, sockets, a sparse 1 TB file, a growing file and a tree deeper than PATH_MAX', async () => {
    const { workspace, checkpoints } = await setup()
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    const socketServer = createServer()
    await new Promise<void>((resolve) => socketServer.listen(join(workspace, 'sock'), resolve))
    children.push({ kill: () => socketServer.close() })
    const segment = 'd'.repeat(40)
    bash(workspace, `mkfifo fifo sub/fifo && truncate -s 1T sparse.bin && truncate -s 16M holes.bin && for i in $(seq 1 ${MAX_DEPTH + 20}); do mkdir ${segment} && cd ${segment} || exit 1; done; echo deep > deep.txt`)
    try {
      await attackedWorkspace(workspace, segment, checkpoints)
    } finally {
      bash(workspace, `rm -rf ${segment}`)
    }
  }, 60_000)

  async function attackedWorkspace(workspace: string, segment: string, checkpoints: WorkspaceCheckpoints): Promise<void> {
    const grower = spawn('bash', ['-c', 'while :; do echo line >> grow.txt; done'], { cwd: workspace, stdio: 'ignore' })
    children.push({ kill: () => grower.kill('SIGKILL') })
    await new Promise((resolve) => setTimeout(resolve, 200))
    const after = await checkpoints.checkpoint('after', 'call_1', 'shell')
    const rescanned = await checkpoints.rescan()
    grower.kill('SIGKILL')
    const manifest = checkpoints.manifest
    expect({ fifo: manifest.has('fifo'), subFifo: manifest.has('sub/fifo'), sock: manifest.has('sock'), grow: manifest.get('grow.txt')?.kind }).toEqual({ fifo: false, subFifo: false, sock: false, grow: 'file' })
    expect(manifest.get('sparse.bin')).toMatchObject({ kind: 'file', size: 1024 ** 4, hash: null, note: 'too big to keep (1048576.0 MB; the limit is 32.0 MB)' })
    expect(manifest.get('holes.bin')).toMatchObject({ kind: 'file', size: 16 * 1024 ** 2, hash: null, note: 'a sparse file: not read' })
    const deepest = [...manifest.paths()].reduce((a, b) => (b.split('/').length > a.split('/').length ? b : a))
    expect(deepest.split('/').length).toBe(MAX_DEPTH + 1)
    expect([...after.notes, ...rescanned.notes].filter((note) => note.includes('deeper than'))).toEqual([
      `${deepest}: folders nested deeper than ${MAX_DEPTH} levels are not read`,
      `${deepest}: folders nested deeper than ${MAX_DEPTH} levels are not read`
    ])
    expect(after.notes).toContain('holes.bin: a sparse file: not read')
    // A rewind removes what it kept; the folders holding what it could not read stay, and say why.
    const report = await rewindTo(checkpoints, 'call_1', false)
    expect(new Set(report.outcome!.failed.map((failure) => (failure.path.startsWith(segment) ? failure.reason : failure.path)))).toEqual(
      new Set(['the directory still holds files Tether leaves alone (ignored or not kept)'])
    )
    expect(readdirSync(workspace).sort()).toEqual(['.gitignore', 'a.txt', 'fifo', 'sock', segment, 'sub'].sort())
  }

  it('reads a directory of 100 000 entries and then only what a call changed', async () => {
    const { workspace, checkpoints } = await setup()
    const many = join(workspace, 'many')
    mkdirSync(many)
    bash(many, "seq -f 'f%g' 0 99999 | xargs touch")
    const full = await checkpoints.rescan()
    expect(full.changed.length).toBe(100_001)
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    writeFileSync(join(many, 'f77777'), 'changed\n')
    const after = await checkpoints.checkpoint('after', 'call_1', 'shell')
    expect(after.changed).toEqual(['many/f77777'])
  }, 120_000)

  it('reviews and rewinds a call that made 20 000 folders and 20 000 files, at a cost that grows with them, not with their square', async () => {
    const { workspace, checkpoints, store } = await setup()
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    bash(workspace, "mkdir tree && cd tree && seq -f 'd%g' 1 20000 | xargs mkdir && seq -f 'f%g' 1 20000 | xargs touch")
    const after = await checkpoints.checkpoint('after', 'call_1', 'shell')
    expect(after.changed.length).toBe(40_001)
    const { files } = await changedFiles(checkpoints.base, checkpoints.manifest, store.objects)
    expect(files.length).toBe(40_000)
    const report = await rewindTo(checkpoints, 'call_1', false)
    expect({ changed: report.outcome!.changed.length, failed: report.outcome!.failed, tree: readdirSync(workspace).includes('tree') }).toEqual({ changed: 40_001, failed: [], tree: false })
  }, 120_000)

  it('remembers a bounded number of changed names between checkpoints, whatever a process keeps making', async () => {
    const { folder } = await setup()
    const watched = join(folder, 'churn')
    mkdirSync(watched)
    const journal = await ChangeJournal.open(watched, join(folder, 'barrier'))
    try {
      journal.watchDirectory('')
      bash(watched, `seq -f 'n%g' 1 ${MAX_JOURNAL_PATHS + 20_000} | xargs touch`)
      await journal.settle()
      const taken = journal.take()
      expect({ bounded: taken.paths.size <= MAX_JOURNAL_PATHS, doubt: taken.doubt !== null }).toEqual({ bounded: true, doubt: true })
    } finally {
      journal.close()
    }
  }, 60_000)

  it('keeps what a .gitignore written by the run would hide: rules are those the run found', async () => {
    const { workspace, checkpoints } = await setup()
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    bash(workspace, `printf '*\\n' > sub/.gitignore && echo evil > sub/evil.js && echo 'hidden.sh' >> .gitignore && echo evil > hidden.sh && mkdir -p build && echo out > build/x`)
    const after = await checkpoints.checkpoint('after', 'call_1', 'shell')
    expect(after.changed).toEqual(['.gitignore', 'hidden.sh', 'sub/.gitignore', 'sub/evil.js'])
    const rescanned = await checkpoints.rescan()
    expect(rescanned.changed).toEqual([])
    await rewindTo(checkpoints, 'call_1', false)
    expect({ evil: readdirSync(join(workspace, 'sub')).sort(), root: readdirSync(workspace).sort() }).toEqual({ evil: ['b.txt', 'inner'], root: ['.gitignore', 'a.txt', 'build', 'sub'] })
  })

  it('keeps at most its budget of new content per checkpoint, leaves the disk its reserve, and notes every file it did not keep', async () => {
    const { folder, workspace } = await setup()
    await Promise.all(opened.splice(0).map((checkpoints) => checkpoints.close()))
    const store = new SnapshotStore(join(folder, 'data', 'capped'))
    const checkpoints = await WorkspaceCheckpoints.open(store, 'run_2', workspace, { storeLimits: { maxNewBytes: 3 * 1024 * 1024, minFreeBytes: 0 } })
    opened.push(checkpoints)
    const storeBytes = (): number => Number(execSync(`du -sb ${store.objects.root}`).toString().split('\t')[0])
    const baseBytes = storeBytes()
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    bash(workspace, 'mkdir big && for i in $(seq 1 10); do head -c 1000000 /dev/urandom > big/$i.bin; done')
    const after = await checkpoints.checkpoint('after', 'call_1', 'shell')
    const refused = after.notes.filter((note) => note.includes('not kept: this checkpoint already keeps'))
    expect(refused.length).toBeGreaterThanOrEqual(7)
    expect(after.changed.length).toBe(11)
    expect(storeBytes() - baseBytes).toBeLessThanOrEqual(3 * 1024 * 1024 + 64 * 1024)
    // Rewinding past them deletes them all, kept or not; the Changes view says which were not kept.
    const report = await rewindTo(checkpoints, 'call_1', false)
    expect({ failed: report.outcome!.failed, big: readdirSync(workspace).includes('big') }).toEqual({ failed: [], big: false })

    await checkpoints.close()
    const full = await WorkspaceCheckpoints.open(store, 'run_3', workspace, { storeLimits: { maxNewBytes: 1024 ** 3, minFreeBytes: Number.MAX_SAFE_INTEGER } })
    opened.push(full)
    const before = storeBytes()
    await full.checkpoint('before', 'call_1', 'shell')
    bash(workspace, 'head -c 100000 /dev/urandom > fresh.bin')
    const noted = await full.checkpoint('after', 'call_1', 'shell')
    expect(noted.notes).toEqual([expect.stringMatching(/^fresh\.bin: not kept: the disk holding Tether's data dir has [\d.]+ MB free, and Tether leaves [\d.]+ MB$/)])
    expect(storeBytes()).toBe(before)
  })

  it('shows a view of many files rewritten from top to bottom without freezing: bounded diff work, the rest left out and said so', async () => {
    const { workspace, checkpoints, store } = await setup()
    bash(workspace, 'mkdir gen && for i in $(seq 1 30); do seq 1 8000 > gen/$i.txt; done')
    await checkpoints.rescan()
    const base = checkpoints.manifest
    await checkpoints.checkpoint('before', 'call_1', 'shell')
    bash(workspace, 'for i in $(seq 1 30); do seq 100001 108000 > gen/$i.txt; done')
    await checkpoints.checkpoint('after', 'call_1', 'shell')
    const { files, truncated } = await changedFiles(base, checkpoints.manifest, store.objects)
    const shown = files.filter((file) => file.before !== null)
    expect({ truncated, count: files.length, shown: shown.length }).toEqual({ truncated: true, count: 30, shown: 10 })
    expect(shown.map((file) => [file.additions, file.deletions])).toEqual(Array.from({ length: 10 }, () => [8000, 8000]))
    expect(new Set(files.filter((file) => file.before === null).map((file) => file.note))).toEqual(new Set(['left out: the view already holds many large changes']))
  }, 60_000)

  it('reads again a file rewritten in the same clock tick with its size and mtime kept', async () => {
    const { workspace } = await setup()
    const path = join(workspace, 'a.txt')
    writeFileSync(path, 'aaaa\n')
    const first = await readEntry(workspace, 'a.txt')
    bash(workspace, 'touch -r a.txt ../mtime && printf "bbbb\\n" > a.txt && touch -m -r ../mtime a.txt')
    const second = await readEntry(workspace, 'a.txt', undefined, first!.entry)
    expect(second!.content?.toString()).toBe('bbbb\n')
  })
})
