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
  /** Its content is lost with nothing in its place (emptied, zeroed, shredded, replaced by a link): the floor when it had content. */
  truncates: boolean
}

function targets(words: ShellWord[], followLast = true, removes = false, truncates = false): WriteTarget[] {
  return words.map((word) => ({ word, followLast, removes, truncates }))
}

/** `/dev/null`, `/dev/zero`: copying one over a file empties or zeroes it. */
function isEmptySource(word: ShellWord): boolean {
  return word.resolved && /^\/dev\/(null|zero)$/.test(word.value)
}

/** A copy into a folder writes `folder/name`: both are judged. */
function intoFolder(destination: ShellWord[], sources: ShellWord[]): ShellWord[] {
  const [folder] = destination
  if (!folder?.resolved) return destination
  const inside = sources.filter((source) => source.resolved && !source.glob).map((source): ShellWord => {
    const name = source.value.replace(/\/+$/, '').split('/').pop() ?? ''
    const value = `${folder.value.replace(/\/+$/, '')}/${name}`
    return { ...folder, value, source: value }
  })
  return [...destination, ...inside]
}

/** `--output=FILE`, `--output FILE`, `--log-file=FILE`: options most programs use to name a file they write. */
const OUTPUT_OPTION = /^--(output|out|outfile|output-file|output-document|log-file|logfile|dump|save|write|report|output-dir|outdir|out-file|o)$/

function outputOptionTargets(args: ShellWord[]): WriteTarget[] {
  const found: WriteTarget[] = []
  args.forEach((word, index) => {
    if (!word.resolved) return
    const equals = word.value.indexOf('=')
    const name = equals === -1 ? word.value : word.value.slice(0, equals)
    if (!OUTPUT_OPTION.test(name)) return
    if (equals !== -1) found.push(...targets(valueWord(null, word.value.slice(equals + 1))))
    else if (args[index + 1]) found.push(...targets([args[index + 1] as ShellWord]))
  })
  return found
}

/** Files a sed script writes with `w FILE` or the `w` flag of `s///w FILE`. */
function sedScriptWrites(script: string): ShellWord[] {
  const files: ShellWord[] = []
  for (const match of script.matchAll(/(?:^|[;\n{}]|\/[gpiImMe0-9]*)\s*[wW]\s+([^;\n}]+)/g)) {
    const file = (match[1] ?? '').trim()
    if (file.length > 0) files.push(...valueWord(null, file))
  }
  return files
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
  return [...programTargets(base, args), ...outputOptionTargets(args)]
}

function programTargets(base: string, args: ShellWord[]): WriteTarget[] {
  switch (base) {
    case 'tee':
      return targets(parseOptions(args, { permute: true }).positionals)
    case 'cp':
    case 'install': {
      const { destination: to, sources } = destination(args, base === 'install' ? 'tSmog' : 'tS')
      return targets(intoFolder(to, sources), true, false, sources.some(isEmptySource))
    }
    case 'rsync':
    case 'scp': {
      const positionals = parseOptions(args, { permute: true, shortWithValue: base === 'rsync' ? 'efT' : 'cFiJloPS', longWithValue: ['--rsh', '--filter', '--exclude', '--include', '--temp-dir'] }).positionals
      return positionals.length >= 2 ? targets(intoFolder(positionals.slice(-1), positionals.slice(0, -1))) : []
    }
    case 'ln': {
      const { destination: to, sources } = destination(args, 'tS')
      const force = parseOptions(args, { permute: true, shortWithValue: 'tS' }).options.some((option) => option.name === '-f' || option.name === '--force')
      return targets(intoFolder(to, sources), false, false, force)
    }
    case 'mv': {
      const { destination: to, sources } = destination(args, 'tS')
      return [...targets(intoFolder(to, sources), true, false, sources.some(isEmptySource)), ...targets(sources, false, true)]
    }
    case 'sort':
    case 'base64':
    case 'tree': {
      const parsed = parseOptions(args, { permute: true, shortWithValue: base === 'sort' ? 'otSkT' : 'o', longWithValue: ['--output'] })
      return optionValues(parsed, '-o', '--output').flatMap((option) => targets(valueWord(option.valueWord, option.value)))
    }
    case 'find':
      return args.flatMap((word, index) => (word.resolved && /^-f(print0?|printf|ls)$/.test(word.value) && args[index + 1] ? targets([args[index + 1] as ShellWord]) : []))
    case 'uniq': {
      const positionals = parseOptions(args, { permute: true, shortWithValue: 'fsw' }).positionals
      return positionals.length >= 2 ? targets(positionals.slice(1, 2)) : []
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
      return targets(parseOptions(args, { permute: true, shortWithValue: 'sr' }).positionals, true, false, true)
    case 'shred':
      return targets(parseOptions(args, { permute: true, shortWithValue: 'ns' }).positionals, true, true, true)
    case 'chmod':
    case 'chown':
    case 'chgrp': {
      const parsed = parseOptions(args, { permute: true })
      return targets(parsed.options.some((option) => option.name === '--reference') ? parsed.positionals : parsed.positionals.slice(1))
    }
    case 'sed': {
      const parsed = parseOptions(args, { permute: true, shortWithValue: 'ef', longWithValue: ['--expression', '--file'] })
      const scriptGiven = parsed.options.some((option) => ['-e', '-f', '--expression', '--file'].includes(option.name))
      const scripts = scriptGiven ? optionValues(parsed, '-e', '--expression').map((option) => option.value ?? '') : parsed.positionals.slice(0, 1).map((word) => word.value)
      const written = targets(scripts.flatMap(sedScriptWrites))
      if (!parsed.options.some((option) => option.name === '-i' || option.name.startsWith('--in-place'))) return written
      // `sed -i d`, `sed -i '1,$d'`: the edit empties the file.
      const empties = scripts.some((script) => /^\s*(1\s*,\s*\$)?\s*[dc]\b/.test(script))
      return [...written, ...targets(scriptGiven ? parsed.positionals : parsed.positionals.slice(1), true, false, empties)]
    }
    case 'curl': {
      const parsed = parseOptions(args, { permute: true, shortWithValue: 'oHdXuAeEKrTwxy', longWithValue: ['--output', '--header', '--data', '--request', '--user'] })
      return optionValues(parsed, '-o', '--output').flatMap((option) => targets(valueWord(option.valueWord, option.value)))
    }
    case 'wget': {
      const parsed = parseOptions(args, { permute: true, shortWithValue: 'OoPa', longWithValue: ['--output-document', '--directory-prefix'] })
      return [
        ...optionValues(parsed, '-O', '--output-document', '-o').flatMap((option) => targets(valueWord(option.valueWord, option.value))),
        ...optionValues(parsed, '-P', '--directory-prefix').flatMap((option) => targets(valueWord(option.valueWord, option.value)))
      ]
    }
    case 'dd':
      return targets(args.filter((word) => word.value.startsWith('of=')).map((word) => ({ ...word, value: word.value.slice(3) })), true, false, true)
    default:
      return []
  }
}
