// The one place the benchmark chooses Tether's approval gate: Tether's own broker and policy, as
// the app composes them, in approval mode `auto-in-sandbox`. A call the policy still asks about
// is put to a person who allows it at once (zero think time), so the run pays what the app pays
// for it (the approval records, synced) and nothing for a human.
import { ApprovalBroker } from '../../src-main/node/policy/approval-broker'
import type { ApprovalAsker } from '../../src-main/node/policy/approval-asker'
import { TetherPolicy } from '../../src-main/node/policy/tether-policy'
import type { ToolGate } from '../../src-main/node/driver/tool-gate'
import { DataDir } from '../../src-main/node/store/data-dir'

export const BENCH_APPROVAL_MODE = 'auto-in-sandbox'

const ALLOWS_AT_ONCE: ApprovalAsker = { ask: async () => ({ decision: 'allow', scope: 'once', message: null }) }

/** One gate for every Tether run of the benchmark, as one app shares one broker across runs. */
export function benchGate(policyDataDir: string): ToolGate {
  return new ApprovalBroker({ policy: new TetherPolicy({ dataDir: new DataDir(policyDataDir) }), asker: ALLOWS_AT_ONCE })
}
