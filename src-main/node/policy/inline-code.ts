// Code in another language given on the command line (`python3 -c`, `node -e`, `perl -e`, an awk
// program that calls `system`) cannot be read the way a shell script is: it always asks, in every
// mode, and it is on the floor when it names what deletes, writes, runs programs or reads secrets.
import type { Finding } from './findings'
import { floor, opaque } from './findings'

/** What inline code uses to destroy, write, run programs, reach secrets or hide what it does. */
const EFFECT_MARKERS: [RegExp, string][] = [
  [/rmtree|rmdir|unlink|remove|rm_rf|rm_r\b|rmSync|\brm\s*\(|\bdelete\b|File\.delete|FileUtils|truncate|shred/i, 'deletes files'],
  [/\.git\b|hooksPath|\.husky|\.vscode|\.idea|\.envrc|bashrc|zshrc|\.profile|crontab|systemd|authorized_keys|\.ssh\b|LaunchAgents/, 'touches git metadata, hooks or start-up files'],
  [/\bsystem\s*\(|\bexec[a-z]*\s*\(|\bspawn|popen|subprocess|child_process|Popen|`|\bqx\b|%x|IO\.popen|Kernel\.|\bos\.exec|Runtime\.getRuntime|ProcessBuilder|shell_exec|passthru|proc_open|Deno\.(run|Command)|Bun\.(spawn|\$)|\$\(/, 'runs programs'],
  [/\bopen\s*\([^)]*['"][wax+]|write(File|Sync|_text|_bytes|lines)?\s*\(|createWriteStream|appendFile|\.write\b|print\s*\{|>>?\s*['"$]|copyFile|rename|symlink|chmod|chown|mkdir/, 'writes files'],
  [/environ|getenv|process\.env|\bENV\b|%ENV|\$ENV|ENVIRON|_KEY\b|TOKEN|SECRET|PASSWORD|credentials|\.netrc|id_rsa|\.aws\b|\.env\b|keychain|\/proc\//i, 'reads secrets'],
  [/\beval\b|\bexec\b|compile\s*\(|__import__|importlib|getattr|globals\s*\(|b64decode|base64|atob|fromCharCode|Buffer\.from|\bchr\s*\(|\\x[0-9a-f]{2}|\\u00|\bFunction\s*\(|constructor|require\s*\(\s*[^'"\s]|import\s*\(|\bmarshal\b|\bpickle\b|codecs|decode\s*\(|\bpack\s*\(|reverse|\[::-1\]/i, 'hides what it runs'],
  [/socket|urlopen|requests\.|fetch\s*\(|http\.|https\.|net\.|LWP|Net::|open-uri|curl/i, 'uses the network']
]

/** Floor when the code names an effect; otherwise it still asks in every mode (it cannot be read). */
export function inlineCodeFindings(code: string | null, origin: string): Finding[] {
  if (code === null) return [opaque(`\`${origin}\` runs code only known at run time`)]
  const effects = EFFECT_MARKERS.filter(([pattern]) => pattern.test(code)).map(([, effect]) => effect)
  if (effects.length > 0) return [floor(`\`${origin}\` runs inline code that ${effects.join(', ')}`)]
  return [opaque(`\`${origin}\` runs inline code, which is not checked for what it deletes or writes`)]
}

const AWK_NAMES = new Set(['awk', 'gawk', 'mawk', 'nawk'])

export function isAwk(base: string): boolean {
  return AWK_NAMES.has(base)
}

/** Why an awk program is not read-only (`system()`, pipes, `getline` from commands, `print > file`, `ENVIRON`), or null. */
export function awkProgramProblem(program: string): string | null {
  if (/\bsystem\s*\(|\|\s*&?\s*(getline|")|"\s*\|\s*getline|\|&|\bENVIRON\b|@load|@include|\bclose\s*\(/.test(program)) return 'runs programs or reads the environment'
  if (/\bprintf?\b[^;{}]*>|\bfflush\s*\(\s*"/.test(program)) return 'writes files'
  return null
}

/** Programs that run code given in an option (beyond the interpreters judged as scripts), and those options. */
const CODE_OPTIONS: [RegExp, RegExp][] = [
  [/^(Rscript|julia|racket|elixir|groovy|scala|swift|kotlin|ts-node|tsx|jshell|qjs|gjs|luajit|lua[\d.]*)$/, /^(-e|-E|--eval|--expr|--print|-p)$/],
  [/^(guile|gawk|sbcl|clisp|erl|expect|psql|mysql|mariadb|redis-cli|osqueryi|duckdb)$/, /^(-c|-x|-e|--eval|-eval|--command|--execute)$/],
  [/^(gdb|lldb)$/, /^(-ex|--eval-command|-ix|-o|--one-line|-x|--source)$/],
  [/^(emacs|emacsclient)$/, /^(--eval|-e|--execute|-l|--load|-f|--funcall)$/],
  [/^(vim|vi|nvim|ex|view|gvim|vimdiff)$/, /^(-c|--cmd|-S|-s)$/]
]

/** Code an option hands to `base` (`Rscript -e CODE`, `vim -c CMD`, `vim +CMD`, `sqlite3 db .shell`); null when it takes none. */
export function codeOptionValues(base: string, args: { value: string; resolved: boolean }[]): (string | null)[] | null {
  if (base === 'sqlite3') {
    const dotted = args.filter((word) => /^\s*\./.test(word.value))
    return dotted.length > 0 ? dotted.map((word) => (word.resolved ? word.value : null)) : null
  }
  const entry = CODE_OPTIONS.find(([program]) => program.test(base))
  if (!entry) return null
  const [, option] = entry
  const values: (string | null)[] = []
  args.forEach((word, index) => {
    const next = args[index + 1]
    if (option.test(word.value) && next) values.push(next.resolved ? next.value : null)
    else if (/^(vim|vi|nvim|ex|view|gvim)$/.test(base) && word.value.startsWith('+') && word.value.length > 1) values.push(word.value.slice(1))
    else if (/^-e./.test(word.value) && option.test('-e')) values.push(word.value.slice(2))
  })
  if (/^(ex|vim|vi|nvim)$/.test(base) && args.some((word) => /^-[a-zA-Z]*[es]/.test(word.value) && !option.test(word.value))) values.push(null)
  return values.length > 0 ? values : null
}
