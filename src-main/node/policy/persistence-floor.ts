// Persistence is on the floor in every mode: what schedules a command, installs a service or a
// git hook manager, or changes the configuration the person's own tools act on later. The sandbox
// cannot undo what runs later outside it.
import type { Finding } from './findings'
import { floor } from './findings'
import type { ShellWord } from './shell-syntax'

const QUERY_ONLY: Record<string, RegExp> = {
  crontab: /^-l$/,
  systemctl: /^(status|show|cat|list-[\w-]+|is-[\w-]+|help|--version|-h|--help)$/,
  launchctl: /^(list|print|print-disabled|blame|help|version)$/,
  'ssh-keygen': /^-[lLF]$/
}

const ALWAYS: Record<string, string> = {
  at: 'schedules a command to run later',
  batch: 'schedules a command to run later',
  'systemd-run': 'starts a command as a service',
  husky: 'installs git hooks',
  lefthook: 'installs or runs git hooks',
  'simple-git-hooks': 'installs git hooks',
  'ssh-copy-id': "adds a key to another machine's authorized keys",
  chsh: "changes the person's login shell",
  'update-alternatives': 'changes which programs the system runs'
}

/** `[program, words it must be given]` that change what the person's tools do later. */
const CONFIG_WRITERS: string[][] = [
  ['pre-commit', 'install'],
  ['direnv', 'allow'],
  ['direnv', 'grant'],
  ['npm', 'config', 'set'],
  ['npm', 'config', 'edit'],
  ['npm', 'config', 'delete'],
  ['npm', 'set'],
  ['yarn', 'config', 'set'],
  ['pnpm', 'config', 'set'],
  ['pip', 'config', 'set'],
  ['pip3', 'config', 'set'],
  ['pip', 'config', 'edit'],
  ['code', '--install-extension'],
  ['cursor', '--install-extension'],
  ['codium', '--install-extension'],
  ['defaults', 'write'],
  ['gsettings', 'set'],
  ['dconf', 'write'],
  ['dconf', 'load'],
  ['loginctl', 'enable-linger'],
  ['gpg', '--import'],
  ['gh', 'alias', 'set'],
  ['gh', 'extension', 'install']
]

export const PERSISTENCE_PROGRAMS: ReadonlySet<string> = new Set([...Object.keys(QUERY_ONLY), ...Object.keys(ALWAYS), ...CONFIG_WRITERS.map(([program]) => program as string)])

export function persistenceFloor(base: string, args: ShellWord[]): Finding[] {
  if (Object.hasOwn(ALWAYS, base)) return [floor(`\`${base}\` ${ALWAYS[base]}, outside the sandbox's reach`)]
  const query = Object.hasOwn(QUERY_ONLY, base) ? QUERY_ONLY[base] : undefined
  if (query) {
    const first = args.find((word) => !/^--(user|system|no-pager|quiet)$/.test(word.value))
    return first?.resolved && query.test(first.value) ? [] : [floor(`\`${base}\` changes what runs later on this machine (scheduled jobs, services, keys)`)]
  }
  const words = args.filter((word) => word.resolved).map((word) => word.value)
  const positionals = words.filter((word) => !word.startsWith('-'))
  // Options may come anywhere; subcommand words must lead (`npm config set`, not `npm pkg set`).
  const matches = (rest: string[]): boolean => {
    const leading = rest.filter((part) => !part.startsWith('-'))
    return rest.every((part) => !part.startsWith('-') || words.includes(part)) && leading.every((part, index) => positionals[index] === part)
  }
  for (const [program, ...rest] of CONFIG_WRITERS) {
    if (program === base && matches(rest)) {
      return [floor(`\`${[program, ...rest].join(' ')}\` changes configuration the person's tools act on later`)]
    }
  }
  return []
}
