// Turns a terminal byte stream into the plain text a model should read: escape sequences
// (colours, cursor moves, titles) removed, CRLF folded, and a bare carriage return treated the
// way a terminal shows it (the line is overwritten), so progress bars leave only their last state.
// Streaming: sequences and line endings split across chunks are handled.

type State = 'text' | 'cr' | 'esc' | 'esc-intermediate' | 'csi' | 'string' | 'string-esc'

const ESC = 0x1b
const BEL = 0x07
/** A line this long is emitted even without a newline, so memory stays bounded. */
const MAX_PENDING_LINE = 64 * 1024

function isPlain(code: number): boolean {
  return code >= 0x20 ? code !== 0x7f : code === 0x09
}

export class TerminalText {
  private state: State = 'text'
  private line = ''

  /** Feeds raw terminal output; returns the text of lines completed by it. */
  push(chunk: string): string {
    let out = ''
    let i = 0
    while (i < chunk.length) {
      const code = chunk.charCodeAt(i)
      switch (this.state) {
        case 'text': {
          if (isPlain(code)) {
            let end = i + 1
            while (end < chunk.length && isPlain(chunk.charCodeAt(end))) end++
            this.line += chunk.slice(i, end)
            i = end
            if (this.line.length >= MAX_PENDING_LINE) {
              out += this.line
              this.line = ''
            }
            continue
          }
          if (code === 0x0a) {
            out += `${this.line}\n`
            this.line = ''
          } else if (code === 0x0d) this.state = 'cr'
          else if (code === ESC) this.state = 'esc'
          break
        }
        case 'cr':
          if (code === 0x0a) {
            out += `${this.line}\n`
            this.line = ''
            this.state = 'text'
            break
          }
          if (code === 0x0d) break
          // A bare carriage return: what follows overwrites the line.
          this.line = ''
          this.state = 'text'
          continue
        case 'esc':
          if (code === 0x5b) this.state = 'csi'
          else if (code === 0x5d || code === 0x50 || code === 0x58 || code === 0x5e || code === 0x5f) this.state = 'string'
          else if (code >= 0x20 && code <= 0x2f) this.state = 'esc-intermediate'
          else this.state = 'text'
          break
        case 'esc-intermediate':
          if (code < 0x20 || code > 0x2f) this.state = 'text'
          break
        case 'csi':
          if (code >= 0x40 && code <= 0x7e) this.state = 'text'
          break
        case 'string':
          if (code === BEL) this.state = 'text'
          else if (code === ESC) this.state = 'string-esc'
          break
        case 'string-esc':
          this.state = code === 0x5c ? 'text' : 'string'
          break
      }
      i++
    }
    return out
  }

  /** The unfinished last line, if any. */
  end(): string {
    const rest = this.line
    this.line = ''
    this.state = 'text'
    return rest
  }
}

export function terminalToText(raw: string): string {
  const text = new TerminalText()
  return text.push(raw) + text.end()
}
