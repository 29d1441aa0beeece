import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../../test-support/temp-dir'
import { DEFAULT_FILE_LIST, listWorkspaceFiles } from './workspace-file-list'

const tempDir = useTempDirs('tether-file-list-')

function write(root: string, path: string, text = ''): void {
  mkdirSync(join(root, path, '..'), { recursive: true })
  writeFileSync(join(root, path), text)
}

describe('listWorkspaceFiles', () => {
  it('lists what git would track: .gitignore respected, .git left out, dotfiles in', async () => {
    const root = await tempDir()
    execFileSync('git', ['init', '-q'], { cwd: root })
    write(root, '.gitignore', 'build/\n*.log\n')
    for (const path of ['src/cart.ts', 'src/money.ts', 'README.md', '.github/ci.yml', 'build/out.js', 'debug.log']) write(root, path)
    expect(await listWorkspaceFiles(root)).toEqual({ files: ['.github/ci.yml', '.gitignore', 'README.md', 'src/cart.ts', 'src/money.ts'], truncated: false })
  })

  it('leaves out special files, symlinks and names that cannot be shown as one plain line', async () => {
    const root = await tempDir()
    write(root, 'plain.txt')
    write(root, 'new\nline.txt')
    write(root, 'evil\u202etxt.exe')
    execFileSync('mkfifo', [join(root, 'pipe')])
    symlinkSync('/etc/passwd', join(root, 'passwd'))
    expect(await listWorkspaceFiles(root)).toEqual({ files: ['plain.txt'], truncated: false })
  })

  it('stops at the file bound and says so', async () => {
    const root = await tempDir()
    for (let index = 0; index < 300; index++) write(root, `dir${index % 7}/file${index}.txt`)
    const listed = await listWorkspaceFiles(root, { ...DEFAULT_FILE_LIST, maxFiles: 50 })
    expect(listed.truncated).toBe(true)
    expect(listed.files).toHaveLength(50)
  })

  it('answers within its time bound when an ignore file is a FIFO, listing without ignore files', async () => {
    const root = await tempDir()
    execFileSync('git', ['init', '-q'], { cwd: root })
    write(root, 'src/cart.ts')
    mkdirSync(join(root, 'sub'))
    execFileSync('mkfifo', [join(root, 'sub', '.gitignore')])
    const started = performance.now()
    const listed = await listWorkspaceFiles(root, { ...DEFAULT_FILE_LIST, timeoutMs: 1_000 })
    expect({ listed, inTime: performance.now() - started < 3_000 }).toEqual({ listed: { files: ['src/cart.ts'], truncated: true }, inTime: true })
  })

  it('fails clearly when ripgrep is missing', async () => {
    await expect(listWorkspaceFiles(await tempDir(), { ...DEFAULT_FILE_LIST, ripgrepPath: '/nonexistent/rg' })).rejects.toThrow(/ripgrep could not run/)
  })
})
