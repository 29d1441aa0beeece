import { randomBytes } from 'node:crypto'
import { lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../../test-support/temp-dir'
import { bytesOfName, nameFromBytes, UnsafePathError, WorkspaceDir } from './workspace-dir'

const tempDir = useTempDirs('tether-workspace-dir-')

describe('workspace folders and names', () => {
  it('reads every byte string as a name and back exactly, and decodes UTF-8 names as text', () => {
    for (let round = 0; round < 2000; round += 1) {
      const bytes = randomBytes(1 + (round % 24))
      expect(bytesOfName(nameFromBytes(bytes)).equals(bytes)).toBe(true)
    }
    expect(nameFromBytes(Buffer.from('naïve 名前 🙂'))).toBe('naïve 名前 🙂')
    expect(nameFromBytes(Buffer.from([0x61, 0xff, 0xc3, 0xa9, 0xed, 0xa0, 0x80]))).toBe('a\udcffé\udced\udca0\udc80')
  })

  it('opens folders only through folders: a link or a file on the way is refused, a missing one is null', async () => {
    const root = await tempDir()
    mkdirSync(join(root, 'a', 'b'), { recursive: true })
    mkdirSync(join(root, 'elsewhere'))
    symlinkSync(join(root, 'elsewhere'), join(root, 'a', 'link'))
    writeFileSync(join(root, 'a', 'file'), '')
    const folder = await WorkspaceDir.open(root, 'a/b')
    expect(folder?.relative).toBe('a/b')
    await folder?.close()
    await expect(WorkspaceDir.open(root, 'a/link/x')).rejects.toThrow(new UnsafePathError('a/link is not a folder (a link or a file); nothing is read or written through it'))
    await expect(WorkspaceDir.open(root, 'a/file')).rejects.toThrow(UnsafePathError)
    expect(await WorkspaceDir.open(root, 'a/missing/deeper')).toBeNull()
    const made: string[] = []
    const created = await WorkspaceDir.open(root, 'new/deeper', { created: (path) => made.push(path) })
    await created?.close()
    expect({ made, mode: lstatSync(join(root, 'new', 'deeper')).mode & 0o777 }).toEqual({ made: ['new', 'new/deeper'], mode: 0o700 })
    await expect(WorkspaceDir.open(root, 'a/link/made', { created: () => undefined })).rejects.toThrow(UnsafePathError)
    expect(readdirSync(join(root, 'elsewhere'))).toEqual([])
  })
})
