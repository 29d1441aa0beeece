// An MCP tool result as the model and the log see it: text parts as they are, other content named
// (an image is not pasted in as base64), structured content as JSON when there is nothing else,
// and the whole thing bounded like shell output: head and tail for the model, the full text in
// the call's artifact file.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { DEFAULT_VIEW_LIMITS, modelView, type ViewLimits } from '../tools/output/model-view'

/** Full outputs above this are cut in the artifact too. */
const ARTIFACT_MAX_CHARS = 16 * 1024 * 1024

function describeBinary(kind: string, mimeType: unknown, data: unknown): string {
  const bytes = typeof data === 'string' ? Math.floor((data.length * 3) / 4) : 0
  return `[${kind} ${typeof mimeType === 'string' ? mimeType : ''}, ${bytes.toLocaleString('en-US')} bytes, not shown]`
}

export function resultText(result: CallToolResult): string {
  const parts = (result.content ?? []).map((part) => {
    switch (part.type) {
      case 'text':
        return part.text
      case 'image':
      case 'audio':
        return describeBinary(part.type, part.mimeType, part.data)
      case 'resource':
        return 'text' in part.resource && typeof part.resource.text === 'string' ? part.resource.text : `[resource ${part.resource.uri}]`
      case 'resource_link':
        return `[resource ${part.uri}${part.name ? ` (${part.name})` : ''}]`
      default:
        return `[content of type ${(part as { type: string }).type}]`
    }
  })
  if (parts.length === 0 && result.structuredContent !== undefined) return JSON.stringify(result.structuredContent)
  return parts.join('\n')
}

export interface BoundedResult {
  output: string
  artifactPath: string | null
}

/** The text the model gets; the full text goes to `<artifactsDir>/<callId>.txt` when it had to be cut. */
export function boundResult(text: string, artifactsDir: string | null, callId: string, limits: ViewLimits = DEFAULT_VIEW_LIMITS): BoundedResult {
  const view = modelView({ kind: 'whole', text }, limits, null)
  if (view === text || artifactsDir === null) return { output: view, artifactPath: null }
  mkdirSync(artifactsDir, { recursive: true })
  const path = join(artifactsDir, `${callId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 120) || 'call'}.txt`)
  const truncated = text.length > ARTIFACT_MAX_CHARS
  writeFileSync(path, truncated ? text.slice(0, ARTIFACT_MAX_CHARS) : text, { mode: 0o600 })
  return { output: modelView({ kind: 'whole', text }, limits, { path, truncated }), artifactPath: path }
}
