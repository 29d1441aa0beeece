// Text that arrives in small pieces (PTY output), passed on in fewer, larger ones: after a short
// window, or at once when enough has gathered. `flush` passes on what is left, e.g. before a
// call's result so that order is kept.

export interface CoalesceLimits {
  windowMs: number
  /** Pass on at once when this much is waiting (Infinity: only by the window). */
  maxChars: number
}

export interface CoalescedText {
  push(text: string): void
  flush(): void
}

export function coalesceText(pass: (text: string) => void, limits: CoalesceLimits): CoalescedText {
  let waiting = ''
  let timer: NodeJS.Timeout | null = null
  const flush = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
    if (waiting.length === 0) return
    const text = waiting
    waiting = ''
    pass(text)
  }
  const push = (text: string): void => {
    waiting += text
    if (waiting.length >= limits.maxChars) flush()
    else timer ??= setTimeout(flush, limits.windowMs)
  }
  return { push, flush }
}
