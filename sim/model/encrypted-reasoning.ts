// `encrypted_content` of reasoning items: opaque to clients, verifiable by the server, so a full
// resend with store:false can carry reasoning forward and a tampered blob is rejected like the
// real API does. Sealed, not encrypted: secrecy is not the point of a test server.
import { createHmac, timingSafeEqual } from 'node:crypto'

// Shared by every sim server so a transcript survives a server restart (as it would with the real API).
const SEAL_KEY = 'tether-sim-reasoning-v1'
const PREFIX = 'gAAAAA'

interface SealedReasoning {
  id: string
  summary: string
}

function mac(payload: string): string {
  return createHmac('sha256', SEAL_KEY).update(payload).digest('base64url').slice(0, 22)
}

export function sealReasoning(content: SealedReasoning): string {
  const payload = Buffer.from(JSON.stringify(content)).toString('base64url')
  return `${PREFIX}${payload}.${mac(payload)}`
}

export function openReasoning(sealed: string): SealedReasoning | null {
  if (!sealed.startsWith(PREFIX)) return null
  const [payload, signature] = sealed.slice(PREFIX.length).split('.')
  if (!payload || !signature) return null
  const expected = Buffer.from(mac(payload))
  const given = Buffer.from(signature)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null
  try {
    const value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<SealedReasoning>
    return typeof value.id === 'string' && typeof value.summary === 'string' ? { id: value.id, summary: value.summary } : null
  } catch {
    return null
  }
}
