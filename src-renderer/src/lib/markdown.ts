// Assistant text as Markdown: parsed by marked, then sanitized by DOMPurify before it touches the
// DOM. Model output is untrusted: no raw HTML survives, links open outside the app, and images
// load nothing remote (the CSP would block them anyway).
import DOMPurify from 'dompurify'
import { Marked } from 'marked'

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

// Code blocks come wrapped, so the copy button (added by lib/code-blocks) sits beside the
// scrolling <pre>, not inside it.
const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    code({ text, lang, escaped }) {
      const language = /^[\w+#.-]+/.exec(lang ?? '')?.[0]
      const body = escaped ? text : escapeHtml(text)
      return `<div class="code-block"><pre><code${language ? ` class="language-${escapeHtml(language)}"` : ''}>${body}\n</code></pre></div>\n`
    }
  }
})

const purify = DOMPurify()
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('rel', 'noopener noreferrer')
    node.setAttribute('target', '_blank')
  }
})

export function renderMarkdown(text: string): string {
  const html = marked.parse(text) as string
  return purify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'img', 'video', 'audio', 'svg', 'math'],
    FORBID_ATTR: ['style'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i
  })
}
