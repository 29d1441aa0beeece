// Text for places that take one short line (a notification, a window title): whitespace runs
// become one space, control and direction characters go, and it is cut at `max` characters.
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g

export function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').replace(HIDDEN, '').trim()
  return line.length <= max ? line : `${line.slice(0, Math.max(0, max - 1)).trimEnd()}…`
}
