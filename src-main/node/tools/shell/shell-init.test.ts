import { describe, expect, test } from 'vitest'
import { commandLine, doneMarkerPrefix, readyMarker } from './shell-init'

describe('shell-init', () => {
  test('markers are terminal escape sequences carrying the token', () => {
    expect(readyMarker('abc')).toBe('\x1b]633;tether;ready;abc\x07')
    expect(doneMarkerPrefix('abc')).toBe('\x1b]633;tether;done;abc;')
  })

  test('the typed line sources the command file with empty stdin and reports the status', () => {
    expect(commandLine('/run/tether/command.sh', 'tok', 'ls -la')).toBe(" \\builtin source '/run/tether/command.sh' </dev/null; \\__tether_done $? tok\r")
  })

  test('restores the terminal only after commands that may have changed it', () => {
    expect(commandLine('/c', 't', 'stty sane; ls')).toBe(" \\builtin source '/c' </dev/null; \\__tether_done $? t restore\r")
    expect(commandLine('/c', 't', 'git log --oneline | less')).toMatch(/ restore\r$/)
    expect(commandLine('/c', 't', 'npm test')).toMatch(/ t\r$/)
  })
})
