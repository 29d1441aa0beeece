// How the app shows a tool's calls. Each tool declares its view (`render` in defineTool); the views
// of a run's tools are recorded with the run, so the app and a replay label calls the same way
// without knowing any tool.
import { escapeForDisplay } from '../text/display-text'

export interface ToolView {
  /** The argument whose text labels a call, e.g. `command` or `path`; null labels it by the tool's name alone. */
  labelArgument: string | null
  /** Whether the tool's name comes before that text (`read_file src/a.ts`, but just `npm test` for a command). */
  prefixName: boolean
}

/** Labels of runs recorded before tools declared their views: the usual argument names, in order. */
const UNDECLARED_LABEL_ARGUMENTS = ['command', 'path', 'file', 'pattern', 'query']

function parsedArguments(rawArguments: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(rawArguments)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    // Still streaming, or broken: the label is the tool's name.
    return null
  }
}

/**
 * A short label for a call: what its tool's view names, or the tool's name while the arguments
 * stream. Control, bidi and invisible characters are escaped: the label is shown as it is.
 */
export function toolCallLabel(name: string, rawArguments: string, view: ToolView | undefined): string {
  return escapeForDisplay(rawLabel(name, rawArguments, view))
}

function rawLabel(name: string, rawArguments: string, view: ToolView | undefined): string {
  const fallback = name || 'tool call'
  const args = parsedArguments(rawArguments)
  if (args === null) return fallback
  if (view === undefined) {
    if (typeof args.command === 'string' && args.command) return args.command
    const text = UNDECLARED_LABEL_ARGUMENTS.map((key) => args[key]).find((value) => typeof value === 'string')
    return typeof text === 'string' ? `${name} ${text}` : fallback
  }
  const text = view.labelArgument === null ? undefined : args[view.labelArgument]
  if (typeof text !== 'string' || text.length === 0) return fallback
  return view.prefixName ? `${name} ${text}` : text
}
