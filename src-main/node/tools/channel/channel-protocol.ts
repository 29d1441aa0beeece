// The envelope every child process of the tool side speaks over Node's IPC channel (JSON
// serialization): numbered requests, progress and exactly one answer per request, cancellation by
// number. What goes inside is each child's own closed union of plain JSON messages.

/** The message types of one child: what it is asked, what it answers, what it reports on the way. */
export interface ChannelTypes {
  request: unknown
  reply: unknown
  progress: unknown
}

export type ToChild<T extends ChannelTypes> = { kind: 'request'; id: number; body: T['request'] } | { kind: 'cancel'; id: number }

export type FromChild<T extends ChannelTypes> =
  | { kind: 'ready'; pid: number }
  | { kind: 'progress'; id: number; body: T['progress'] }
  | { kind: 'reply'; id: number; body: T['reply'] }
  | { kind: 'failed'; id: number; message: string }
