// What a tool produces inside the tool host, before the runtime adds its timings.
import type { ToolCallResult } from '../tool-runtime'

export type ToolOutcome = Pick<ToolCallResult, 'status' | 'exitCode' | 'output' | 'artifactPath'>

export function errorOutcome(message: string): ToolOutcome {
  return { status: 'error', exitCode: null, output: message, artifactPath: null }
}

export function okOutcome(output: string): ToolOutcome {
  return { status: 'ok', exitCode: null, output, artifactPath: null }
}
