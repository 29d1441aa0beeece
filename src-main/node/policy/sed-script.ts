// Reads a sed script command by command to tell whether it only prints: `sed -n '/^## /p'` does,
// `sed 's/a/b/w out'`, `sed 'w out'`, `sed e` and `sed 's/x/y/e'` do not.

/** Commands that print, move through the input or edit the pattern space, and nothing else. */
const PRINTING_COMMANDS = new Set(['p', 'P', 'd', 'D', 'n', 'N', 'g', 'G', 'h', 'H', 'x', 'l', '=', 'q', 'Q', 'z', 'F', '{', '}'])

class Reader {
  index = 0
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.index >= this.text.length
  }

  peek(): string {
    return this.text[this.index] ?? ''
  }

  next(): string {
    return this.text[this.index++] ?? ''
  }

  skipBlanks(): void {
    while (!this.done && /[\s;]/.test(this.peek())) this.index += 1
  }

  /** Reads up to the unescaped `delimiter`; false when the text ends first. */
  delimited(delimiter: string): boolean {
    while (!this.done) {
      const char = this.next()
      if (char === '\\') this.index += 1
      else if (char === delimiter) return true
      else if (char === '\n' && delimiter !== '\n') return false
    }
    return false
  }

  restOfCommand(): string {
    const start = this.index
    while (!this.done && this.peek() !== '\n' && this.peek() !== ';' && this.peek() !== '}') this.index += 1
    return this.text.slice(start, this.index)
  }

  address(): boolean {
    const char = this.peek()
    if (/\d/.test(char)) {
      while (/[\d~]/.test(this.peek())) this.index += 1
      return true
    }
    if (char === '$') {
      this.index += 1
      return true
    }
    if (char === '/' || char === '\\') {
      this.index += 1
      const delimiter = char === '/' ? '/' : this.next()
      if (!this.delimited(delimiter)) return false
      while (/[IM]/.test(this.peek())) this.index += 1
      return true
    }
    return true
  }
}

/** Null when the script only prints; otherwise why not. */
export function sedScriptProblem(script: string): string | null {
  const reader = new Reader(script)
  for (;;) {
    reader.skipBlanks()
    if (reader.done) return null
    if (reader.peek() === '#') {
      reader.restOfCommand()
      continue
    }
    if (!reader.address()) return 'the sed script does not parse'
    if (reader.peek() === ',') {
      reader.index += 1
      if (reader.peek() === '+' || reader.peek() === '~') reader.index += 1
      if (!reader.address()) return 'the sed script does not parse'
    }
    while (reader.peek() === ' ' || reader.peek() === '!') reader.index += 1
    const command = reader.next()
    if (PRINTING_COMMANDS.has(command)) {
      if (command === 'q' || command === 'Q' || command === 'l') reader.restOfCommand()
      continue
    }
    switch (command) {
      case 'a':
      case 'i':
      case 'c':
        // Text to print: up to the end of the line.
        while (!reader.done && reader.peek() !== '\n') reader.index += reader.peek() === '\\' ? 2 : 1
        continue
      case 'b':
      case 't':
      case 'T':
      case ':':
        reader.restOfCommand()
        continue
      case 'y': {
        const delimiter = reader.next()
        if (!reader.delimited(delimiter) || !reader.delimited(delimiter)) return 'the sed script does not parse'
        continue
      }
      case 's': {
        const delimiter = reader.next()
        if (!delimiter || delimiter === '\n' || delimiter === '\\') return 'the sed script does not parse'
        if (!reader.delimited(delimiter) || !reader.delimited(delimiter)) return 'the sed script does not parse'
        const flags = reader.restOfCommand()
        if (/[ewW]/.test(flags)) return `\`s///${flags.trim()}\` writes a file or runs a command`
        if (!/^[gpiImM0-9\s]*$/.test(flags)) return 'the sed script does not parse'
        continue
      }
      case 'w':
      case 'W':
        return `\`${command}\` writes a file`
      case 'r':
      case 'R':
        return `\`${command}\` reads another file into the output`
      case 'e':
        return '`e` runs a command'
      default:
        return `\`${command}\` is not a sed command known to only print`
    }
  }
}
