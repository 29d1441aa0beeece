import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { composeInstructions, INSTRUCTION_FILE_MAX_BYTES, loadInstructionFiles } from './instruction-files'

let root = ''
let workspace = ''
let dataDir = ''
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tether-instructions-'))
  workspace = join(root, 'repo')
  dataDir = join(root, 'data')
  mkdirSync(workspace)
  mkdirSync(dataDir)
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('project instruction files', () => {
  it('uses the personal file, then the repository file, and says which', async () => {
    writeFileSync(join(dataDir, 'AGENTS.md'), 'Answer in British English.\n')
    writeFileSync(join(workspace, 'AGENTS.md'), 'Run `npm test` before you finish.\n')
    const loaded = await loadInstructionFiles({ workspace, dataDir })
    expect(loaded.files).toEqual([
      { scope: 'personal', path: join(dataDir, 'AGENTS.md'), bytes: 27, includedBytes: 27, truncated: false, refused: null },
      { scope: 'workspace', path: join(workspace, 'AGENTS.md'), bytes: 34, includedBytes: 34, truncated: false, refused: null }
    ])
    const text = composeInstructions('Base.', loaded)
    expect(text.startsWith('Base.\n\n# Instructions from the person using Tether')).toBe(true)
    expect(text.indexOf('British English')).toBeLessThan(text.indexOf('npm test'))
  })

  it('has nothing to add when neither file exists', async () => {
    const loaded = await loadInstructionFiles({ workspace, dataDir })
    expect(loaded).toEqual({ files: [], sections: [] })
    expect(composeInstructions('Base.', loaded)).toBe('Base.')
  })

  it('cuts a large file at the cap, on a character boundary, and tells the model', async () => {
    // 1 MiB of three-byte characters: the cap falls inside one of them.
    const characters = Math.ceil((1024 * 1024) / 3)
    writeFileSync(join(workspace, 'AGENTS.md'), '€'.repeat(characters))
    const loaded = await loadInstructionFiles({ workspace, dataDir })
    const [file] = loaded.files
    expect(file).toEqual({
      scope: 'workspace',
      path: join(workspace, 'AGENTS.md'),
      bytes: 3 * characters,
      includedBytes: INSTRUCTION_FILE_MAX_BYTES - (INSTRUCTION_FILE_MAX_BYTES % 3),
      truncated: true,
      refused: null
    })
    const section = loaded.sections[0] ?? ''
    expect(section).not.toContain('\uFFFD')
    expect(section).toMatch(/\[AGENTS\.md was cut here: only its first 32\.0 KiB of 1\.0 MiB are included\.\]$/)
    expect(Buffer.byteLength(section)).toBeLessThan(INSTRUCTION_FILE_MAX_BYTES + 512)
  })

  it('never follows a symbolic link (it could point at a secret or a device)', async () => {
    writeFileSync(join(root, 'secret'), 'id_rsa contents')
    symlinkSync(join(root, 'secret'), join(workspace, 'AGENTS.md'))
    symlinkSync('/dev/zero', join(dataDir, 'AGENTS.md'))
    const loaded = await loadInstructionFiles({ workspace, dataDir })
    expect(loaded.sections).toEqual([])
    expect(loaded.files.map((file) => [file.scope, file.refused])).toEqual([
      ['personal', `${join(dataDir, 'AGENTS.md')} is a symbolic link`],
      ['workspace', `${join(workspace, 'AGENTS.md')} is a symbolic link`]
    ])
  })

  it('does not block on a FIFO or read a directory', async () => {
    execFileSync('mkfifo', [join(workspace, 'AGENTS.md')])
    mkdirSync(join(dataDir, 'AGENTS.md'))
    const loaded = await loadInstructionFiles({ workspace, dataDir })
    expect(loaded.files.map((file) => file.refused)).toEqual([`${join(dataDir, 'AGENTS.md')} is a directory`, `${join(workspace, 'AGENTS.md')} is a FIFO`])
  })

  it('reads the same bounded amount from a sparse 10 GiB file as from a 1 MiB one', async () => {
    const path = join(workspace, 'AGENTS.md')
    execFileSync('truncate', ['-s', '10G', path])
    const loaded = await loadInstructionFiles({ workspace, dataDir })
    expect(loaded.files[0]).toMatchObject({ bytes: 10 * 1024 ** 3, includedBytes: 0, truncated: true })
  })
})
