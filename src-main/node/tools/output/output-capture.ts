// Captures one call's output within fixed memory: the first part and a ring buffer of the last
// part, counts of everything, and the full text streamed to an artifact file (itself capped) as
// soon as it is clear the model will not see all of it.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { DEFAULT_VIEW_LIMITS, modelView, type ArtifactNote, type ViewLimits, type ViewSource } from './model-view'
import { RingBuffer } from './ring-buffer'
import { TerminalText } from './terminal-text'

export interface CaptureLimits {
  ringChars: number
  artifactBytes: number
  view: ViewLimits
}

export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = { ringChars: 1024 * 1024, artifactBytes: 50 * 1024 * 1024, view: DEFAULT_VIEW_LIMITS }

export interface CapturedOutput {
  /** The bounded text the model sees. */
  view: string
  artifactPath: string | null
  totalBytes: number
  totalLines: number
}

export class OutputCapture {
  private readonly artifactPath: string
  private readonly limits: CaptureLimits
  private readonly terminal = new TerminalText()
  private readonly ring: RingBuffer
  private head = ''
  private totalChars = 0
  private totalBytes = 0
  private newlines = 0
  private endsWithNewline = false
  private artifactFd: number | null = null
  private artifactWritten = 0
  private artifactTruncated = false
  private artifactFailed = false

  constructor(artifactPath: string, limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS) {
    this.artifactPath = artifactPath
    this.limits = limits
    this.ring = new RingBuffer(limits.ringChars)
  }

  /** Raw terminal output: escape sequences and carriage returns are resolved first. */
  writeTerminal(raw: string): void {
    this.appendText(this.terminal.push(raw))
  }

  appendText(text: string): void {
    if (text.length === 0) return
    if (this.artifactFd === null && this.totalChars + text.length > this.limits.view.headChars + this.limits.view.tailChars) {
      this.openArtifact()
      this.writeArtifact(this.ring.contents())
    }
    this.writeArtifact(text)
    if (this.head.length < this.limits.view.headChars) this.head += text.slice(0, this.limits.view.headChars - this.head.length)
    this.ring.push(text)
    this.totalChars += text.length
    this.totalBytes += Buffer.byteLength(text)
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.newlines++
    this.endsWithNewline = text.endsWith('\n')
  }

  finish(): CapturedOutput {
    this.appendText(this.terminal.end())
    const totalLines = this.newlines + (this.totalChars > 0 && !this.endsWithNewline ? 1 : 0)
    const whole = this.totalChars <= this.ring.size ? this.ring.contents() : null
    const source: ViewSource =
      whole !== null ? { kind: 'whole', text: whole } : { kind: 'ends', head: this.head, tail: this.ring.contents(), totalBytes: this.totalBytes, totalLines }
    const draft = modelView(source, this.limits.view, null)
    if (this.artifactFd === null && whole !== null && draft !== whole) {
      this.openArtifact()
      this.writeArtifact(whole)
    }
    const note = this.closeArtifact()
    const view = note === null ? draft : modelView(source, this.limits.view, note)
    return { view, artifactPath: note?.path ?? null, totalBytes: this.totalBytes, totalLines }
  }

  private openArtifact(): void {
    if (this.artifactFailed) return
    try {
      mkdirSync(dirname(this.artifactPath), { recursive: true })
      this.artifactFd = openSync(this.artifactPath, 'w', 0o600)
    } catch {
      this.artifactFailed = true
    }
  }

  private writeArtifact(text: string): void {
    if (this.artifactFd === null || this.artifactTruncated || text.length === 0) return
    const room = this.limits.artifactBytes - this.artifactWritten
    let bytes = Buffer.from(text)
    if (bytes.length > room) {
      bytes = bytes.subarray(0, Math.max(0, room))
      this.artifactTruncated = true
    }
    try {
      writeSync(this.artifactFd, bytes)
      this.artifactWritten += bytes.length
    } catch {
      this.artifactTruncated = true
    }
  }

  private closeArtifact(): ArtifactNote | null {
    if (this.artifactFd === null) return null
    closeSync(this.artifactFd)
    this.artifactFd = null
    return { path: this.artifactPath, truncated: this.artifactTruncated }
  }
}
