// One connected renderer (an Electron window or a browser tab): the runs it watches and the
// batched record stream it receives. A snapshot first, then only the records that follow it.
import type { HostEvent, RunSnapshot } from '../../common/api/contract'
import { RecordBatcher } from './record-batcher'
import type { RunManager } from './run-manager'

export interface EventSink {
  send(event: HostEvent): void
  /** True while the connection's send buffer is full; record batches then wait and grow. */
  congested(): boolean
}

interface Subscription {
  batcher: RecordBatcher
  stop: () => void
  /** Records up to this seq are in the snapshot the renderer holds. */
  floor: number
}

export class ClientConnection {
  #runs: RunManager
  #sink: EventSink
  #subscriptions = new Map<string, Subscription>()
  #closed = false

  constructor(runs: RunManager, sink: EventSink) {
    this.#runs = runs
    this.#sink = sink
  }

  get subscribedRuns(): string[] {
    return [...this.#subscriptions.keys()]
  }

  send(event: HostEvent): void {
    if (!this.#closed) this.#sink.send(event)
  }

  /** Opens (or reopens) a run: returns its state; its records follow as `run.records` events. */
  async subscribe(runId: string): Promise<RunSnapshot> {
    this.unsubscribe(runId)
    const subscription: Subscription = {
      floor: Number.POSITIVE_INFINITY,
      stop: () => undefined,
      batcher: new RecordBatcher({
        deliver: (batch) => {
          const records = batch.filter((record) => record.seq > subscription.floor)
          if (records.length > 0) this.send({ type: 'run.records', runId, records })
        },
        congested: () => this.#sink.congested()
      })
    }
    this.#subscriptions.set(runId, subscription)
    const { snapshot, stop } = await this.#runs.watch(runId, {
      record: (record) => subscription.batcher.push(record),
      snapshot: (fresh) => {
        subscription.batcher.discard()
        subscription.floor = fresh.state.lastSeq
        this.send({ type: 'run.snapshot', snapshot: fresh })
      },
      activity: (running, error) => {
        subscription.batcher.flush()
        this.send({ type: 'run.activity', runId, running, error })
      },
      loading: ({ loadedBytes, totalBytes }) => this.send({ type: 'run.loading', runId, loadedBytes, totalBytes })
    })
    if (this.#closed || this.#subscriptions.get(runId) !== subscription) {
      stop()
      subscription.batcher.close()
      throw new Error('the subscription was cancelled')
    }
    subscription.stop = stop
    subscription.floor = snapshot.state.lastSeq
    return snapshot
  }

  unsubscribe(runId: string): void {
    const subscription = this.#subscriptions.get(runId)
    if (!subscription) return
    this.#subscriptions.delete(runId)
    subscription.stop()
    subscription.batcher.close()
  }

  close(): void {
    for (const runId of [...this.#subscriptions.keys()]) this.unsubscribe(runId)
    this.#closed = true
  }
}
