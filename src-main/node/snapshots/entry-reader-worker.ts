// The entry reader's worker thread: lists the folders and reads the batches of workspace paths it
// is sent, one request after another, and sends back what it found with the contents moved, not
// copied. An I/O error is that item's answer; a batch goes on.
import { opendirSync, type Dir, type Dirent } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { assertNever } from '../../common/run/records'
import type { Failure, FolderPath, ListedKind, ReaderReply, ReaderRequest, ReaderResult } from './entry-reader-protocol'
import { readEntrySync } from './read-entry'
import { nameFromBytes } from './workspace-dir'

/** Counts every item read and every name listed, so the main thread tells a slow request from a stuck one. */
const progress = new Int32Array((workerData as { progress: SharedArrayBuffer }).progress)

function stepped(): void {
  Atomics.add(progress, 0, 1)
}

function pathOf(path: FolderPath): string | Buffer {
  return typeof path === 'string' ? path : Buffer.from(path.buffer, path.byteOffset, path.byteLength)
}

function failureOf(error: unknown): Failure {
  return { code: (error as NodeJS.ErrnoException).code ?? null, message: (error as Error).message }
}

function read(request: Extract<ReaderRequest, { kind: 'read' }>): { reply: ReaderReply; transfer: ArrayBuffer[] } {
  const results: ReaderResult[] = []
  const transfer = new Set<ArrayBuffer>()
  let bytes = 0
  for (const item of request.items) {
    if (bytes >= request.byteCap) {
      results.push({ found: 'later' })
      continue
    }
    try {
      const found = readEntrySync(pathOf(item.path), { maxFileBytes: request.maxFileBytes }, item.known)
      if (found.found === 'entry' && found.content !== null) {
        bytes += found.content.length
        if (found.content.buffer.byteLength > 0) transfer.add(found.content.buffer as ArrayBuffer)
      }
      results.push(found)
    } catch (error) {
      results.push({ found: 'failed', ...failureOf(error) })
    }
    stepped()
  }
  return { reply: { kind: 'read', id: request.id, results }, transfer: [...transfer] }
}

function kindOf(dirent: Dirent<Buffer>): ListedKind {
  return dirent.isDirectory() ? 'dir' : dirent.isFile() ? 'file' : dirent.isSymbolicLink() ? 'link' : 'other'
}

/**
 * A folder that cannot be opened is no listing (`gone`, for the codes that mean so); an error while
 * it is read is a failure, never a shorter listing: a name that vanished mid-listing on a file
 * system that reports no types would otherwise drop the whole folder.
 */
function list(request: Extract<ReaderRequest, { kind: 'list' }>): ReaderReply {
  let dir: Dir
  try {
    // Names as bytes: a name that is not UTF-8 must still name its file (see workspace-dir).
    dir = opendirSync(request.path, { encoding: 'buffer' as BufferEncoding })
  } catch (error) {
    return { kind: 'list', id: request.id, listing: null, failure: failureOf(error) }
  }
  try {
    const listing: { name: string; kind: ListedKind }[] = []
    for (let dirent = dir.readSync(); dirent !== null; dirent = dir.readSync()) {
      const entry = dirent as unknown as Dirent<Buffer>
      listing.push({ name: nameFromBytes(entry.name), kind: kindOf(entry) })
      stepped()
    }
    return { kind: 'list', id: request.id, listing, failure: null }
  } catch (error) {
    return { kind: 'list', id: request.id, listing: null, failure: { ...failureOf(error), whileListing: true } }
  } finally {
    dir.closeSync()
  }
}

parentPort?.on('message', (request: ReaderRequest) => {
  switch (request.kind) {
    case 'list':
      parentPort?.postMessage(list(request))
      return
    case 'read': {
      const { reply, transfer } = read(request)
      parentPort?.postMessage(reply, transfer)
      return
    }
    default:
      assertNever(request, 'entry reader request')
  }
})
