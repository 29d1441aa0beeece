// Code blocks in rendered Markdown get a copy button, keyboard scrolling and, once highlight.js
// has loaded, syntax colours. Markdown is re-rendered as a message streams, so new blocks are
// found as they appear.
import type { Action } from 'svelte/action'
import { copyText } from './clipboard'
import { highlightCode } from './highlight'

const DONE = 'enhanced'

function languageOf(code: HTMLElement): string | null {
  const match = /(?:^|\s)language-([\w+#.-]+)/.exec(code.className)
  return match?.[1]?.toLowerCase() ?? null
}

function copyButton(code: HTMLElement): HTMLButtonElement {
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'copy-code'
  button.textContent = 'Copy'
  button.setAttribute('aria-label', 'Copy code')
  button.addEventListener('click', () => {
    void copyText((code.textContent ?? '').replace(/\n$/, '')).then((copied) => {
      button.textContent = copied ? 'Copied' : 'Copy failed'
      setTimeout(() => (button.textContent = 'Copy'), 1500)
    })
  })
  return button
}

function enhance(block: HTMLElement): void {
  const pre = block.querySelector(':scope > pre')
  const code = pre?.querySelector(':scope > code')
  if (!(pre instanceof HTMLElement) || !(code instanceof HTMLElement) || block.dataset[DONE]) return
  block.dataset[DONE] = 'true'
  const language = languageOf(code)
  // A long line scrolls inside the block: keyboard users can scroll it too.
  pre.tabIndex = 0
  pre.setAttribute('role', 'region')
  pre.setAttribute('aria-label', language ? `Code (${language})` : 'Code')
  block.append(copyButton(code))
  const text = code.textContent ?? ''
  void highlightCode(text, language)
    .then((html) => {
      // The block may have been replaced or rewritten while highlight.js loaded.
      if (html === null || !code.isConnected || code.textContent !== text) return
      code.innerHTML = html
      code.classList.add('hljs')
    })
    .catch(() => undefined)
}

export const codeBlocks: Action<HTMLElement> = (container) => {
  const scan = (): void => container.querySelectorAll<HTMLElement>('div.code-block').forEach(enhance)
  scan()
  const observer = new MutationObserver(scan)
  observer.observe(container, { childList: true, subtree: true })
  return { destroy: () => observer.disconnect() }
}
