import { describe, expect, it } from 'vitest'
import { externalLink, navigationVerdict } from './navigation'

describe('window navigation', () => {
  it('lets the app load its own pages and nothing else', () => {
    expect(navigationVerdict('app://tether/index.html')).toEqual({ kind: 'allow' })
    expect(navigationVerdict('file:///etc/passwd')).toEqual({ kind: 'stay' })
    expect(navigationVerdict('javascript:alert(1)')).toEqual({ kind: 'stay' })
    expect(navigationVerdict('http://evil.example/')).toEqual({ kind: 'stay' })
    expect(navigationVerdict('app://tether.evil.example/')).toEqual({ kind: 'stay' })
  })

  it('sends https links to the browser, and refuses everything else', () => {
    expect(navigationVerdict('https://evil.example/path?q=1')).toEqual({ kind: 'open-externally', url: 'https://evil.example/path?q=1' })
    expect(externalLink('https://example.com')).toBe('https://example.com/')
    expect(externalLink('https://user:secret@example.com/')).toBeNull()
    expect(externalLink('http://example.com/')).toBeNull()
    expect(externalLink('smb://server/share')).toBeNull()
    expect(externalLink('vscode://extension/install')).toBeNull()
    expect(externalLink('data:text/html,hi')).toBeNull()
  })
})
