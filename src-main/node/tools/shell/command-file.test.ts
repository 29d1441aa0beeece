import { lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../../../test-support/temp-dir'
import { writeCommandFile } from './command-file'

const tempDir = useTempDirs('tether-command-file-')

describe('writeCommandFile', () => {
  it('holds exactly the latest command, written over the same file, whether the command before was longer or shorter', async () => {
    const path = join(await tempDir(), 'command.sh')
    writeCommandFile(path, 'ls')
    const created = statSync(path)
    const seen: { text: string; sameFile: boolean }[] = []
    for (const command of ["rg -n 'a much longer pattern' src test", 'ls', 'printf "%s\\n" é…', '']) {
      writeCommandFile(path, command)
      seen.push({ text: readFileSync(path, 'utf8'), sameFile: statSync(path).ino === created.ino })
    }
    expect({ mode: created.mode & 0o777, seen }).toEqual({
      mode: 0o644 & ~process.umask(),
      seen: [
        { text: "rg -n 'a much longer pattern' src test\n", sameFile: true },
        { text: 'ls\n', sameFile: true },
        { text: 'printf "%s\\n" é…\n', sameFile: true },
        { text: '\n', sameFile: true }
      ]
    })
  })

  it('refuses a link in its place and leaves the file the link names as it was', async () => {
    const dir = await tempDir()
    const target = join(dir, 'elsewhere')
    writeFileSync(target, 'untouched\n')
    const path = join(dir, 'command.sh')
    symlinkSync(target, path)
    expect(() => writeCommandFile(path, 'echo planted')).toThrow(expect.objectContaining({ code: 'ELOOP' }))
    expect({ target: readFileSync(target, 'utf8'), stillALink: lstatSync(path).isSymbolicLink() }).toEqual({ target: 'untouched\n', stillALink: true })
  })
})
