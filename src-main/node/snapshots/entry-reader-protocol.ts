// Messages between the entry reader (entry-reader.ts) and its worker thread: plain data, file
// contents moved across rather than copied.
import type { KnownStat, SyncRead } from './read-entry'

/** A name inside an open folder (WorkspaceDir.at): a string, or the bytes of a name that is not UTF-8. */
export type FolderPath = string | Uint8Array

/** An I/O error, as it crosses the thread boundary. */
export interface Failure {
  code: string | null
  message: string
}

export type ReaderRequest =
  | {
      kind: 'read'
      id: number
      items: { path: FolderPath; known: KnownStat | null }[]
      maxFileBytes: number
      /** Once the batch has read this many bytes, the rest of it is left for another request. */
      byteCap: number
    }
  | { kind: 'list'; id: number; path: string }

export type ReaderResult = SyncRead | { found: 'later' } | ({ found: 'failed' } & Failure)

export type ListedKind = 'dir' | 'file' | 'link' | 'other'

export type ReaderReply =
  | { kind: 'read'; id: number; results: ReaderResult[] }
  | {
      kind: 'list'
      id: number
      listing: { name: string; kind: ListedKind }[] | null
      /** `whileListing`: the folder opened, and reading its names failed part way. */
      failure: (Failure & { whileListing?: true }) | null
    }
