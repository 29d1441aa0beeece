// Command-line option parsing in the getopt style most commands use, over evaluated shell words.
import type { ShellWord } from './shell-syntax'

export interface ParsedOption {
  /** `-r` for short options (one per letter of a cluster), `--recursive` for long ones. */
  name: string
  value: string | null
  /** The value as a word when it was a separate word. */
  valueWord: ShellWord | null
}

export interface OptionSpec {
  /** Short option letters that take a value (`-n 5`, `-n5`). */
  shortWithValue?: string
  /** Long options that take a value (`--output file`, `--output=file`). */
  longWithValue?: readonly string[]
  /** GNU style: options may follow positionals. Otherwise options end at the first positional. */
  permute?: boolean
}

export interface ParsedArguments {
  options: ParsedOption[]
  positionals: ShellWord[]
  /** Index (into the given words) of the first positional when not permuting; words.length if none. */
  end: number
  /** A word that could be an option is only known at run time. */
  dynamic: boolean
}

export function parseOptions(words: readonly ShellWord[], spec: OptionSpec = {}): ParsedArguments {
  const shortWithValue = spec.shortWithValue ?? ''
  const longWithValue = spec.longWithValue ?? []
  const options: ParsedOption[] = []
  const positionals: ShellWord[] = []
  let dynamic = false
  let end = words.length
  let index = 0
  while (index < words.length) {
    const word = words[index] as ShellWord
    const text = word.value
    if (!word.resolved) dynamic = true
    if (text === '--' && word.resolved) {
      positionals.push(...words.slice(index + 1))
      if (end === words.length && index + 1 < words.length) end = index + 1
      break
    }
    if (!word.resolved || !text.startsWith('-') || text === '-') {
      if (!spec.permute) {
        end = index
        positionals.push(...words.slice(index))
        break
      }
      positionals.push(word)
      index += 1
      continue
    }
    if (text.startsWith('--')) {
      const equals = text.indexOf('=')
      const name = equals === -1 ? text : text.slice(0, equals)
      if (equals !== -1) options.push({ name, value: text.slice(equals + 1), valueWord: null })
      else if (longWithValue.includes(name)) {
        const next = words[index + 1]
        options.push({ name, value: next?.value ?? null, valueWord: next ?? null })
        index += 1
      } else options.push({ name, value: null, valueWord: null })
      index += 1
      continue
    }
    let consumedNext = false
    for (let letter = 1; letter < text.length; letter += 1) {
      const name = `-${text[letter]}`
      if (shortWithValue.includes(text[letter] as string)) {
        const rest = text.slice(letter + 1)
        if (rest.length > 0) options.push({ name, value: rest, valueWord: null })
        else {
          const next = words[index + 1]
          options.push({ name, value: next?.value ?? null, valueWord: next ?? null })
          consumedNext = true
        }
        break
      }
      options.push({ name, value: null, valueWord: null })
    }
    index += consumedNext ? 2 : 1
  }
  return { options, positionals, end, dynamic }
}

export function hasOption(parsed: ParsedArguments, ...names: string[]): boolean {
  return parsed.options.some((option) => names.includes(option.name))
}

export function optionValues(parsed: ParsedArguments, ...names: string[]): ParsedOption[] {
  return parsed.options.filter((option) => names.includes(option.name))
}
