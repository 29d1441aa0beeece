// Listings whose output a reader may be fed (`git ls-files | xargs cat`, `find -name '*.ts' -exec cat`):
// the reader runs unasked only when the listing cannot name `.env` files or keys.
import { commandName } from './command-names'
import type { ShellWord } from './shell-syntax'
import { globRegExp } from './shell-words'
import type { Invocation } from './unwrap-command'

/** Names a file `-name` pattern allows: a listing that keeps to them never names `.env` or a key. */
function nameFilterExcludesSecrets(args: ShellWord[]): boolean {
  const patterns = args.flatMap((word, index) => (/^-(i?name|i?path)$/.test(word.value) && args[index + 1]?.resolved ? [(args[index + 1] as ShellWord).value] : []))
  if (patterns.length === 0 || args.some((word) => ['-o', '-or', '!', '-not'].includes(word.value))) return false
  const secretNames = ['.env', '.env.local', 'id_rsa', 'id_ed25519', 'server.pem', 'server.key', 'credentials', 'credentials.json', '.netrc', 'secrets.json']
  return patterns.every((pattern) => {
    const regex = globRegExp(pattern)
    // A pattern that is not a valid glob proves nothing.
    if (regex === null) return false
    return !secretNames.some((name) => regex.test(name) || regex.test(`./${name}`))
  })
}

/** A listing that names only tracked or ordinary files: `git ls-files`, `rg --files`, `ls`, `find -name '*.ts'`. */
export function listsOnlyOrdinaryFiles(lister: Invocation): boolean {
  const [name, ...args] = lister.argv
  if (!name?.resolved || args.some((word) => !word.resolved)) return false
  const values = args.map((word) => word.value)
  switch (commandName(name).base) {
    case 'git':
      return ['ls-files', 'diff', 'grep', 'log'].includes(values.find((value) => !value.startsWith('-')) ?? '') && !values.includes('--others')
    case 'rg':
    case 'fd':
      return !values.some((value) => /^(--hidden|-H|--no-ignore|-u+|--unrestricted)$/.test(value))
    case 'ls':
      return !values.some((value) => /^-[a-zA-Z]*[aA]/.test(value))
    case 'find':
      return nameFilterExcludesSecrets(args)
    default:
      return false
  }
}
