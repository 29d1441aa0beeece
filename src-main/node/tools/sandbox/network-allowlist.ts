// What "allowed host" means: `example.com` allows exactly that host; `*.example.com` allows its
// subdomains but not example.com itself (so an allowlist entry never widens by accident).

const HOST_PATTERN = /^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+\.?$|^\[?[0-9a-f:.]+\]?$/i

function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '')
}

/** The entries that are not host names, IP addresses or `*.` wildcards, with why. */
export function invalidAllowlistEntries(allowlist: string[]): string[] {
  return allowlist.filter((entry) => !HOST_PATTERN.test(entry.trim())).map((entry) => `'${entry}' is not a host name (write it without scheme, port or path)`)
}

export function isHostAllowed(allowlist: readonly string[], host: string): boolean {
  const wanted = normalizeHost(host)
  if (wanted.length === 0) return false
  return allowlist.some((entry) => {
    const allowed = normalizeHost(entry)
    if (allowed.startsWith('*.')) return wanted.endsWith(allowed.slice(1)) && wanted.length > allowed.length - 1
    return wanted === allowed
  })
}

/** The allowlist names `host` itself, not only through a `*.` wildcard. */
export function isHostListedExactly(allowlist: readonly string[], host: string): boolean {
  const wanted = normalizeHost(host)
  return wanted.length > 0 && allowlist.some((entry) => normalizeHost(entry) === wanted)
}
