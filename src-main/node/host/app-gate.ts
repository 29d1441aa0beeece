// The app's approval gate: Tether's policy and approval broker, asking the person through the
// approval desk (the dialog in the renderer).
import type { ApprovalAsker } from '../policy/approval-asker'
import { ApprovalBroker } from '../policy/approval-broker'
import { TetherPolicy } from '../policy/tether-policy'
import type { ToolGate } from '../driver/tool-gate'
import type { DataDir } from '../store/data-dir'
import type { ApprovalDesk } from './approval-desk'

export function deskAsker(desk: ApprovalDesk): ApprovalAsker {
  return { ask: (question, signal) => desk.ask(question.runId, question.request.callId, signal) }
}

export function createAppGate(dataDir: DataDir, desk: ApprovalDesk): ToolGate {
  return new ApprovalBroker({ policy: new TetherPolicy({ dataDir }), asker: deskAsker(desk) })
}
