// The files well-known programs write or remove, so writes into protected paths (`.git/hooks`,
// shell start-up files, devices) are caught however they are made, not only through `>`.
import { optionValues, parseOptions } from './options'
import type { ShellWord } from './shell-syntax'

export interface WriteTarget {
  word: ShellWord
  /** Whether a symlink in the last component is followed (rm and mv act on the link itself). */
  followLast: boolean
  /** Moving or removing it: the location itself goes away. */
  removes: boolean
}

function targets(words: ShellWord[], followLast = true, removes = false): WriteTarget[] {
  return words.map((word) => ({ word, followLast, removes }))
}

function valueWord(word: ShellWord | null, value: string | null): ShellWord[] {
  if (word) return [word]
  if (value === null) return []
  return [{ source: value, value, literal: true, resolved: true, glob: false, obfuscated: false, nested: [], processSubstitution: false }]
}

/** Copy-like commands: the destination is `-t DIR` or the last argument. */
function destination(args: ShellWord[], shortWithValue: string): { destination: ShellWord[]; sources: ShellWord[] } {
  const parsed = parseOptions(args, { permute: true, shortWithValue, longWithValue: ['--target-directory', '--suffix'] })
  const target = optionValues(parsed, '-t', '--target-directory')[0]
  if (target) return { destination: valueWord(target.valueWord, target.value), sources: parsed.positionals }
  if (parsed.positionals.length < 2) return { destination: [], sources: parsed.positionals }
  return { destination: parsed.positionals.slice(-1), sources: parsed.positionals.slice(0, -1) }
}

export function writeTargets(base: string, args: ShellWord[]): WriteTarget[] {
  switch (base) {
    case 'tee':
      return targets(parseOptions(args, { permute: true }).positionals)
    case 'cp':
    case 'install':
      return targets(destination(args, base === 'install' ? 'tSmog' : 'tS').destination)
    case 'ln':
      return targets(destination(args, 'tS').destination, false)
    case 'mv': {
      const { destination: to, sources } = destination(args, 'tS')
      return [...targets(to), ...targets(sources, false, true)]
    }
    case 'rm':
    case 'unlink':
    case 'rmdir':
      return targets(parseOptions(args, { permute: true }).positionals, false, true)
    case 'touch':
      return targets(parseOptions(args, { permute: true, shortWithValue: 'drt' }).positionals)
    case 'mkdir':
      return targets(parseOptions(args, { permute: true, shortWithValue: 'm' }).positionals)
    case 'truncate':
      return targets(parseOptions(args, { permute: true, shortWithValue: 'sr' }).positionals)
    case 'shred':
      return targets(parseOptions(args, { permute: true, shortWithValue: 'ns' }).positionals, true, true)
    case 'chmod':
    case 'chown':
    case 'chgrp': {
      const parsed = parseOptions(args, { permute: true })
      return targets(parsed.options.some((option) => option.name === '--reference') ? parsed.positionals : parsed.positionals.slice(1))
    }
    case 'sed': {
      const parsed = parseOptions(args, { permute: true, shortWithValue: 'ef', longWithValue: ['--expression', '--file'] })
      if (!parsed.options.some((option) => option.name === '-i' || option.name === '--in-place')) return []
      const scriptGiven = parsed.options.some((option) => ['-e', '-f', '--expression', '--file'].includes(option.name))
      return targets(scriptGiven ? parsed.positionals : parsed.positionals.slice(1))
    }
    case 'curl': {
      const parsed = parseOptions(args, { permute: true, shortWithValue: 'oHdXuAeEKrTwxy', longWithValue: ['--output', '--header', '--data', '--request', '--user'] })
      return optionValues(parsed, '-o', '--output').flatMap((option) => targets(valueWord(option.valueWord, option.value)))
    }
    case 'wget': {
      const parsed = parseOptions(args, { permute: true, shortWithValue: 'OoPa', longWithValue: ['--output-document', '--directory-prefix'] })
      return optionValues(parsed, '-O', '--output-document', '-P', '--directory-prefix').flatMap((option) => targets(valueWord(option.valueWord, option.value)))
    }
    case 'dd':
      return targets(args.filter((word) => word.value.startsWith('of=')).map((word) => ({ ...word, value: word.value.slice(3) })))
    default:
      return []
  }
}
