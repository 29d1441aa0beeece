// Ids in the real API's shapes (`resp_`, `msg_`, `fc_`, `call_`, `rs_`, `steer_`, `cmp_`). Each server has
// its own random tag, so ids never collide across servers in one process, and a counter, so they
// never repeat within a server - not even when a dropped turn is generated again.
import { randomBytes } from 'node:crypto'

export type IdKind = 'resp' | 'msg' | 'fc' | 'call' | 'rs' | 'steer' | 'cmp'

export class IdFactory {
  private counter = 0
  readonly tag: string

  constructor(tag: string = randomBytes(6).toString('hex')) {
    this.tag = tag
  }

  next(kind: IdKind): string {
    this.counter++
    return `${kind}_${this.tag}${this.counter.toString(16).padStart(8, '0')}`
  }
}
