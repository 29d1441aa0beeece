// What the transports share within one server: clock, settings, faults, the model, ids, storage
// and the recorder. Nothing here is global, so several servers run side by side in one process.
import type { FaultState } from '../faults/fault-state'
import type { ResponseStore } from '../model/conversation'
import type { IdFactory } from '../model/ids'
import type { ScriptedModel } from '../model/scripted-model'
import type { Scheduler } from '../net/scheduler'
import type { PrepareDeps } from './prepare-response'
import type { Recorder } from './recorder'
import type { SimSettings } from './settings'

export interface ServerContext {
  scheduler: Scheduler
  settings(): SimSettings
  faults(): FaultState
  model(): ScriptedModel
  ids: IdFactory
  store: ResponseStore
  recorder: Recorder
}

export function prepareDeps(context: ServerContext, findParent: PrepareDeps['findParent']): PrepareDeps {
  return {
    model: context.model(),
    ids: context.ids,
    store: context.store,
    evictEverything: context.faults().has('evict'),
    newResponseId: () => context.ids.next('resp'),
    findParent
  }
}
