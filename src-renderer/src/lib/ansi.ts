// Terminal output as plain text, for one-line previews of collapsed tool cards.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\r/g

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '')
}

export function lastLines(text: string, count: number): string {
  const lines = stripAnsi(text).split('\n').filter((line) => line.trim().length > 0)
  return lines.slice(-count).join('\n')
}
