import { describe, expect, test } from 'vitest'
import { invalidAllowlistEntries, isHostAllowed } from './network-allowlist'

describe('isHostAllowed', () => {
  test('an exact entry allows exactly that host', () => {
    expect(['github.com', 'GitHub.com.', 'api.github.com', 'evilgithub.com'].map((host) => isHostAllowed(['github.com'], host))).toEqual([true, true, false, false])
  })

  test('a wildcard allows subdomains only', () => {
    const allowlist = ['*.github.com']
    expect(['api.github.com', 'a.b.github.com', 'github.com', 'malicious-github.com', 'raw.githubusercontent.com'].map((host) => isHostAllowed(allowlist, host))).toEqual([
      true,
      true,
      false,
      false,
      false
    ])
  })

  test('an empty allowlist allows nothing', () => {
    expect(isHostAllowed([], 'example.com')).toBe(false)
    expect(isHostAllowed(['example.com'], '')).toBe(false)
  })

  test('IP addresses, IPv6 in brackets', () => {
    expect(isHostAllowed(['127.0.0.1', '::1'], '127.0.0.1')).toBe(true)
    expect(isHostAllowed(['127.0.0.1', '::1'], '[::1]')).toBe(true)
    expect(isHostAllowed(['127.0.0.1'], '127.0.0.2')).toBe(false)
  })
})

describe('invalidAllowlistEntries', () => {
  test('refuses URLs, ports and paths with a reason', () => {
    expect(invalidAllowlistEntries(['example.com', '*.npmjs.org', '10.0.0.1', 'https://x.com', 'x.com:443', 'x.com/a', '*'])).toEqual([
      "'https://x.com' is not a host name (write it without scheme, port or path)",
      "'x.com:443' is not a host name (write it without scheme, port or path)",
      "'x.com/a' is not a host name (write it without scheme, port or path)",
      "'*' is not a host name (write it without scheme, port or path)"
    ])
  })
})
