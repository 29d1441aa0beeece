// Approvals for `tether run`: Tether's policy and broker, asking at the terminal when there is
// one. Without a terminal (or with --json) nobody can answer, so what would ask is denied.
import { ApprovalBroker } from '../policy/approval-broker'
import type { ApprovalAsker } from '../policy/approval-asker'
import { TetherPolicy } from '../policy/tether-policy'
import type { ToolGate } from '../driver/tool-gate'
import type { DataDir } from '../store/data-dir'
import type { LiveViewStyle } from './live-view'
import { askOnTerminal } from './tty-asker'

export function createRunGate(options: { dataDir: DataDir; interactive: boolean; style: LiveViewStyle }): ToolGate {
  const asker: ApprovalAsker | null = options.interactive ? { ask: (question, signal) => askOnTerminal(question.request, options.style, signal) } : null
  return new ApprovalBroker({ policy: new TetherPolicy({ dataDir: options.dataDir }), asker })
}
