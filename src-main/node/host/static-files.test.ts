import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveStaticFile } from './static-files'

describe('resolveStaticFile', () => {
  let folder: string
  let root: string
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tether-static-'))
    root = join(folder, 'renderer')
    await mkdir(join(root, 'assets'), { recursive: true })
    await writeFile(join(root, 'index.html'), '<!doctype html>')
    await writeFile(join(root, 'assets', 'index-abc.js'), 'export {}')
    await writeFile(join(folder, 'secret.txt'), 'secret')
    await symlink(join(folder, 'secret.txt'), join(root, 'assets', 'link.js'))
  })
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('serves the entry page and hashed assets with their types', async () => {
    expect(await resolveStaticFile(root, '/')).toEqual({ body: Buffer.from('<!doctype html>'), contentType: 'text/html; charset=utf-8', immutable: false })
    expect(await resolveStaticFile(root, '/assets/index-abc.js')).toEqual({
      body: Buffer.from('export {}'),
      contentType: 'text/javascript; charset=utf-8',
      immutable: true
    })
  })

  it('serves nothing outside the folder, however the path is spelled', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/link.js', '/assets', '/missing.js', '/%E0%A4%A', '/index.html%00.js']) {
      expect(await resolveStaticFile(root, path)).toBeNull()
    }
  })
})
