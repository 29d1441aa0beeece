// Variables set for a command or for the shell: most are data, some change what programs run or
// load (`PATH`, `LD_PRELOAD`, `GIT_*`), and some hold shell code run later (`PAGER`, `PROMPT_COMMAND`).
import type { Finding } from './findings'
import { ask, opaque } from './findings'
import type { ShellWord } from './shell-syntax'

/** Set for one program, these change only how it formats its output. */
const HARMLESS_ENVIRONMENT = /^(LANG|LANGUAGE|LC_[A-Z]+|TZ|NO_COLOR|FORCE_COLOR|CLICOLOR|CLICOLOR_FORCE|TERM|COLUMNS|LINES|CI)$/
/** These change what a program runs or loads: set for one program or for the shell, they ask in every mode. */
export const DANGEROUS_ENVIRONMENT =
  /^(LD_\w+|DYLD_\w+|BASH_ENV|ENV|PATH|IFS|PROMPT_COMMAND|SHELLOPTS|BASHOPTS|NODE_OPTIONS|NODE_PATH|PYTHON\w*|PERL5\w*|RUBYOPT|RUBYLIB|GIT_\w+|PAGER|EDITOR|VISUAL|LESSOPEN|LESSCLOSE|RIPGREP_CONFIG_PATH|HOME|XDG_CONFIG_HOME|NPM_CONFIG_\w+|npm_config_\w+|SSH_ASKPASS|SUDO_ASKPASS|CDPATH|GLOBIGNORE)$/

/** Variables whose value the interactive shell runs as code later. */
export const SHELL_RUNS_LATER = /^(PROMPT_COMMAND|PS0|PS1|PS2|PS4)$/
/** Variables whose value a program runs as a shell command (`GIT_PAGER='...' git log`). */
export const PROGRAM_VALUED = /^(PAGER|GIT_PAGER|MANPAGER|EDITOR|VISUAL|GIT_EDITOR|GIT_SEQUENCE_EDITOR|GIT_SSH_COMMAND|GIT_SSH|GIT_EXTERNAL_DIFF|GIT_ASKPASS|SSH_ASKPASS|SUDO_ASKPASS|LESSOPEN|LESSCLOSE|BROWSER|PROMPT_COMMAND)$/

/** Why setting `name` for one program is not routine, or null. */
export function environmentFinding(name: string, value: ShellWord): Finding | null {
  if (HARMLESS_ENVIRONMENT.test(name)) return null
  if ((name === 'PAGER' || name === 'GIT_PAGER') && value.resolved && value.value === 'cat') return null
  if (DANGEROUS_ENVIRONMENT.test(name) || PROGRAM_VALUED.test(name)) return opaque(`sets ${name}, which can change what the program runs or loads`)
  if (/[a-z]/.test(name)) return null
  return ask(`sets ${name} for the program`)
}
