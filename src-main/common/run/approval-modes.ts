// The approval modes, written once: the CLI's flags and help, the app's settings, the API's
// validation, the sim's and tests' runs and the README's table all read them from here.

export const APPROVAL_MODES = ['ask-risky', 'auto-in-sandbox', 'ask-always', 'read-only'] as const

export type ApprovalMode = (typeof APPROVAL_MODES)[number]

export const DEFAULT_APPROVAL_MODE: ApprovalMode = 'ask-risky'

export interface ApprovalModeInfo {
  /** A short name for the app's settings. */
  label: string
  /** One line on what runs without asking. */
  summary: string
}

export const APPROVAL_MODE_INFO: Record<ApprovalMode, ApprovalModeInfo> = {
  'ask-risky': { label: 'Ask for risky commands', summary: 'Plain read-only commands run; anything else asks.' },
  'auto-in-sandbox': { label: 'Auto in the sandbox', summary: 'Commands run in the sandbox without asking. The sandbox protects your machine, not the repository: the destructive floor (deleting work, planting hooks or config, reading secrets) still asks.' },
  'ask-always': { label: 'Ask for every command', summary: 'Every command waits for you.' },
  'read-only': { label: 'Read only', summary: 'Only reading commands and file reads run.' }
}

export function isApprovalMode(value: string): value is ApprovalMode {
  return Object.hasOwn(APPROVAL_MODE_INFO, value)
}
