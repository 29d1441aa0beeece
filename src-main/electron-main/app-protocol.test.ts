import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../node/host/csp'
import { handleAppRequest, isAppUrl } from './app-protocol'

describe('the app:// protocol', () => {
  let folder: string
  let renderer: string
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tether-app-protocol-'))
    renderer = join(folder, 'renderer')
    await mkdir(renderer)
    await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Tether</title>')
    await writeFile(join(folder, 'secret.txt'), 'secret')
  })
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('recognizes only its own origin', () => {
    expect(isAppUrl('app://tether/index.html')).toBe(true)
    expect(isAppUrl('app://tether.evil.example/index.html')).toBe(false)
    expect(isAppUrl('app://evil@tether.example/')).toBe(false)
    expect(isAppUrl('https://tether/index.html')).toBe(false)
    expect(isAppUrl('file:///index.html')).toBe(false)
    expect(isAppUrl('not a url')).toBe(false)
  })

  it('serves the renderer with the CSP, and nothing outside its folder', async () => {
    const page = await handleAppRequest(renderer, new Request('app://tether/index.html'))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await page.text()).toContain('<title>Tether</title>')
    expect((await handleAppRequest(renderer, new Request('app://tether/../secret.txt'))).status).toBe(404)
    expect((await handleAppRequest(renderer, new Request('app://tether/%2e%2e/secret.txt'))).status).toBe(404)
    expect((await handleAppRequest(renderer, new Request('app://other/index.html'))).status).toBe(404)
    expect((await handleAppRequest(renderer, new Request('app://tether/index.html', { method: 'POST', body: 'x' }))).status).toBe(405)
  })
})
