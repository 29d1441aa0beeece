// The start-up file of the persistent shell and the line typed for each call. Completion is
// detected by a terminal escape sequence (invisible in a terminal view) that carries a random
// per-call token, so a command cannot fake the end of its own call. After each call the shell
// saves its working directory and exported variables, so a shell restarted after a timeout
// continues where the last finished call left it.

const MARKER_INTRODUCER = '\x1b]633;tether;'
const STATE_END = '# end of tether shell state'

export function readyMarker(token: string): string {
  return `${MARKER_INTRODUCER}ready;${token}\x07`
}

/** Everything of the completion marker before the exit status and the final BEL. */
export function doneMarkerPrefix(token: string): string {
  return `${MARKER_INTRODUCER}done;${token};`
}

function quote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}

export interface ShellInitPaths {
  /** Where the shell keeps its state between restarts (a writable path, as the shell sees it). */
  stateFile: string
}

export function shellInitScript(paths: ShellInitPaths): string {
  return [
    '# Tether shell start-up (generated).',
    "PS1='' PS2='' PS4='+ ' PROMPT_COMMAND=''",
    'set +o history',
    'unset HISTFILE',
    'stty -echo 2>/dev/null',
    `__tether_state=${quote(paths.stateFile)}`,
    'readonly __tether_state',
    '__tether_done() {',
    '  local status=$1',
    // A command ended by a signal (a timeout, a dying tool host) leaves the last good state alone.
    '  if (( status < 128 )); then',
    `    { builtin printf 'builtin cd -- %q\\n' "$PWD"; builtin export -p; builtin printf '%s\\n' '${STATE_END}'; } >| "$__tether_state" 2>/dev/null`,
    '  fi',
    // Only after commands that may have changed the terminal: stty is a process of its own.
    '  [ "$3" = restore ] && stty -echo 2>/dev/null',
    "  PS1='' PS2='' PROMPT_COMMAND=''",
    `  builtin printf '\\033]633;tether;done;%s;%s\\007' "$2" "$status"`,
    '}',
    'readonly -f __tether_done',
    // Only a state file written to the end is used.
    'if [ -r "$__tether_state" ]; then',
    '  mapfile -t __tether_lines < "$__tether_state"',
    `  if [ \${#__tether_lines[@]} -gt 0 ] && [ "\${__tether_lines[-1]}" = '${STATE_END}' ]; then builtin source "$__tether_state" >/dev/null 2>&1; fi`,
    '  unset __tether_lines',
    'fi',
    `builtin printf '\\033]633;tether;ready;%s\\007' "$TETHER_READY_TOKEN"`,
    'unset TETHER_READY_TOKEN',
    ''
  ].join('\n')
}

const TERMINAL_CHANGERS = /\b(stty|reset|tset|tput|vi|vim|nvim|nano|emacs|less|more|top|htop|ssh|screen|tmux|script)\b/

/** The line typed into the shell to run the command file; quoted words defeat aliases. */
export function commandLine(commandFile: string, token: string, command: string): string {
  const restore = TERMINAL_CHANGERS.test(command) ? ' restore' : ''
  return ` \\builtin source ${quote(commandFile)} </dev/null; \\__tether_done $? ${token}${restore}\r`
}
