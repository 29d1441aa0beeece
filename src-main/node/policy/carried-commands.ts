// Text handed to a program that may run it later or elsewhere (a make recipe on stdin, a `vim -c`
// command, `tar --to-command`, a script written with `echo ... > x.sh`) is searched for shell
// commands that would be on the floor: wherever a program name the floor knows starts a command
// in that text, the rest is judged as a script.

/** Where a command the floor cares about may start inside free text. */
const COMMAND_START =
  /(?:^|[\s;&|(`'"=:!{>/])(?=(?:rm|rmdir|unlink|rimraf|git|find|xargs|dd|shred|truncate|rsync|chmod|chown|mkfs[\w.]*|crontab|systemctl|sudo|doas|su|sh|bash|zsh|dash|eval|exec|python3?|node|perl|ruby|php|curl|wget|cat|printenv|env|tee|cp|mv|ln|echo|printf)\b)/g

const MAX_STARTS = 8
const MAX_TEXT = 4096

/** The tails of `text` that start like a command the floor knows, at most a few. */
export function carriedCommandTexts(texts: string[]): string[] {
  const found: string[] = []
  for (const text of texts) {
    const bounded = text.slice(0, MAX_TEXT)
    for (const match of bounded.matchAll(COMMAND_START)) {
      const start = match.index + match[0].length
      const tail = bounded.slice(start).replace(/['"`]\s*$/, '')
      // A program name alone (`man sudo`) is a topic, not a command.
      if (/\S\s+\S/.test(tail)) found.push(tail)
      if (found.length >= MAX_STARTS) return found
    }
  }
  return found
}
