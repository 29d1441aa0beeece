import { execFileSync } from 'node:child_process'
import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { removeScratch, scratchDir } from '../../../test-support/tools/scratch'
import { WorkspaceFiles } from '../files/workspace-files'
import type { ToolOutcome } from '../host/tool-outcome'
import type { ToolRunContext } from '../registry/define-tool'
import { builtinTools } from '.'

const root = scratchDir('files')
const ws = join(root, 'ws')
const outside = join(root, 'outside')
const SECRET = 'TOP SECRET outside the workspace\n'
let files: WorkspaceFiles

beforeAll(() => {
  mkdirSync(ws)
  mkdirSync(outside)
  writeFileSync(join(outside, 'secret.txt'), SECRET)
  writeFileSync(join(ws, 'inside.txt'), 'one\ntwo\nthree\n')
  mkdirSync(join(ws, 'src'))
  writeFileSync(join(ws, 'src', 'a.ts'), 'export const a = 1 // TODO: a\nexport const b = 2\n')
  symlinkSync('../outside/secret.txt', join(ws, 'link-out'))
  symlinkSync('inside.txt', join(ws, 'link-in'))
  symlinkSync(outside, join(ws, 'dir-out'))
  linkSync(join(outside, 'secret.txt'), join(ws, 'hard'))
  execFileSync('git', ['init', '-q', ws])
  writeFileSync(join(ws, '.bashrc'), 'original\n')
  mkdirSync(join(ws, 'data'))
  mkdirSync(join(ws, 'private'))
  writeFileSync(join(ws, 'private', 'token'), 'sk-hidden\n')
  writeFileSync(join(ws, 'binary.bin'), Buffer.from([1, 2, 0, 3]))
  execFileSync('mkfifo', [join(ws, 'pipe')])
  files = new WorkspaceFiles({ workspace: ws, readOnly: [join(ws, 'data')], hidden: [join(ws, 'private')] })
})

afterAll(() => removeScratch(root))

/** A file tool's call as the tests write it: the tool's name and its arguments in camelCase. */
type FileToolCall = { tool: string } & Record<string, unknown>

function context(): ToolRunContext {
  const unused = (): never => {
    throw new Error('the file tools use neither the shell nor the script runner')
  }
  return { shell: { execute: unused }, scripts: { execute: unused }, files, artifactPath: join(root, 'artifact.txt'), emit: () => {}, signal: new AbortController().signal }
}

async function run({ tool, ...camelCase }: FileToolCall): Promise<ToolOutcome> {
  const args = Object.fromEntries(Object.entries(camelCase).map(([key, value]) => [key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), value]))
  const prepared = builtinTools.prepareOrThrow(tool, JSON.stringify(args))
  return (await prepared.tool.run(prepared.args, context())).outcome
}
const read = (path: string, startLine: number | null = null, endLine: number | null = null): FileToolCall => ({ tool: 'read_file', path, startLine, endLine })
const write = (path: string, content: string): FileToolCall => ({ tool: 'write_file', path, content })

describe('reading', () => {
  test('relative and absolute paths inside the workspace, symlinks that stay inside', async () => {
    expect(await run(read('inside.txt'))).toEqual({ status: 'ok', exitCode: null, output: 'one\ntwo\nthree', artifactPath: null })
    expect((await run(read(join(ws, 'inside.txt')))).output).toBe('one\ntwo\nthree')
    expect((await run(read('link-in'))).output).toBe('one\ntwo\nthree')
    expect((await run(read('src/../inside.txt', 2, 2))).output).toBe('two\n[lines 2-2 of 3]')
  })

  test('ranges say where they are and how to go on', async () => {
    writeFileSync(join(ws, 'long.txt'), Array.from({ length: 2500 }, (_, i) => `row ${i + 1}`).join('\n'))
    const first = await run(read('long.txt'))
    expect(first.output.split('\n').slice(-2)).toEqual(['row 2000', '[lines 1-2000 of 2500; continue with start_line 2001]'])
    expect((await run(read('long.txt', 2499, null))).output).toBe('row 2499\nrow 2500\n[lines 2499-2500 of 2500]')
    expect(await run(read('long.txt', 3000, null))).toEqual({ status: 'error', exitCode: null, output: 'long.txt has 2500 lines; start_line 3000 is past the end', artifactPath: null })
  })

  test('refuses .., absolute paths and symlinks that lead outside', async () => {
    expect((await run(read('../outside/secret.txt'))).output).toBe(`../outside/secret.txt is outside the workspace (${ws})`)
    expect((await run(read(join(outside, 'secret.txt')))).output).toBe(`${join(outside, 'secret.txt')} is outside the workspace (${ws})`)
    expect((await run(read('/etc/passwd'))).output).toBe(`/etc/passwd is outside the workspace (${ws})`)
    expect((await run(read('link-out'))).output).toBe(`link-out resolves to ${join(outside, 'secret.txt')}, which is outside the workspace`)
    expect((await run(read('dir-out/secret.txt'))).output).toBe(`dir-out/secret.txt resolves to ${join(outside, 'secret.txt')}, which is outside the workspace`)
    for (const path of ['../outside/secret.txt', 'link-out', 'dir-out/secret.txt']) expect((await run(read(path))).status).toBe('error')
  })

  test('hidden paths, binaries, FIFOs and missing files are answered, not hung on', async () => {
    expect((await run(read('private/token'))).output).toBe('private/token is not readable: it is a protected secret location')
    expect((await run(read('binary.bin'))).output).toBe('binary.bin is a binary file (4 bytes)')
    expect((await run(read('pipe'))).output).toBe('pipe is not a regular file')
    expect((await run(read('nope.txt'))).output).toBe('nope.txt does not exist')
    expect((await run(read('src'))).output).toBe('src is a directory; use list_dir')
  })

  test('list_dir and search stay inside too', async () => {
    expect((await run({ tool: 'list_dir', path: 'src' })).output).toBe('a.ts')
    const listing = (await run({ tool: 'list_dir', path: '.' })).output.split('\n')
    expect(listing).toEqual(expect.arrayContaining(['.git/', 'src/', 'link-out -> ../outside/secret.txt', 'dir-out -> ' + outside, 'inside.txt']))
    expect((await run({ tool: 'list_dir', path: 'dir-out' })).output).toBe(`dir-out resolves to ${outside}, which is outside the workspace`)
    expect((await run({ tool: 'search', pattern: 'TODO', path: null })).output).toBe('src/a.ts:1: export const a = 1 // TODO: a')
    expect((await run({ tool: 'search', pattern: 'TOP SECRET', path: 'src' })).output).toBe('no matches')
    expect((await run({ tool: 'search', pattern: 'SECRET', path: '..' })).output).toBe(`.. is outside the workspace (${ws})`)
    expect((await run({ tool: 'search', pattern: '(unclosed', path: null })).output).toMatch(/^ripgrep failed: regex parse error/)
  })
})

describe('writing', () => {
  test('creates files and missing directories, replaces existing ones keeping their mode', async () => {
    expect(await run(write('new/deep/file.txt', 'hello\n'))).toEqual({ status: 'ok', exitCode: null, output: 'created new/deep/file.txt (6 bytes)', artifactPath: null })
    expect(readFileSync(join(ws, 'new/deep/file.txt'), 'utf8')).toBe('hello\n')
    writeFileSync(join(ws, 'script.sh'), '#!/bin/sh\n', { mode: 0o755 })
    expect((await run(write('script.sh', '#!/bin/sh\necho hi\n'))).output).toBe('replaced script.sh (18 bytes)')
    expect(statSync(join(ws, 'script.sh')).mode & 0o777).toBe(0o755)
  })

  test('never writes outside: .., absolute paths, symlinked files and directories', async () => {
    expect((await run(write('../outside/new.txt', 'x'))).output).toBe(`../outside/new.txt is outside the workspace (${ws})`)
    expect((await run(write(join(outside, 'new.txt'), 'x'))).status).toBe('error')
    expect((await run(write('link-out', 'overwritten'))).output).toBe(`link-out resolves to ${join(outside, 'secret.txt')}, which is outside the workspace`)
    expect((await run(write('dir-out/new.txt', 'x'))).output).toBe(`dir-out/new.txt resolves to ${outside}, which is outside the workspace`)
    expect(existsSync(join(outside, 'new.txt'))).toBe(false)
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe(SECRET)
    expect(lstatSync(join(ws, 'link-out')).isSymbolicLink()).toBe(true)
  })

  test('a hard link is replaced, never written through', async () => {
    expect((await run(write('hard', 'replaced\n'))).output).toBe('replaced hard (9 bytes)')
    expect(readFileSync(join(ws, 'hard'), 'utf8')).toBe('replaced\n')
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe(SECRET)
  })

  test('a symlink inside the workspace writes its target and stays a link', async () => {
    expect((await run(write('link-in', 'new content\n'))).output).toBe('replaced inside.txt (12 bytes)')
    expect(lstatSync(join(ws, 'link-in')).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(ws, 'inside.txt'), 'utf8')).toBe('new content\n')
  })

  test('protected, read-only and hidden paths are refused', async () => {
    const cases: Array<[string, string]> = [
      ['.git/config', 'refusing to write .git/config: it is inside a git directory'],
      ['.git/hooks/pre-commit', 'refusing to write .git/hooks/pre-commit: it is inside a git directory'],
      ['sub/.git/hooks/post-checkout', 'refusing to write sub/.git/hooks/post-checkout: it is inside a git directory'],
      ['.bashrc', 'refusing to write .bashrc: .bashrc is a protected file (it can run code outside the sandbox)'],
      ['.vscode/tasks.json', 'refusing to write .vscode/tasks.json: it is inside .vscode, whose content can run code outside the sandbox'],
      ['data/settings.json', `data/settings.json is read-only for tools (it is under ${join(ws, 'data')})`],
      ['private/token', 'private/token is not readable: it is a protected secret location']
    ]
    for (const [path, message] of cases) expect(await run(write(path, 'planted'))).toEqual({ status: 'error', exitCode: null, output: message, artifactPath: null })
    expect(readFileSync(join(ws, '.bashrc'), 'utf8')).toBe('original\n')
    expect(existsSync(join(ws, '.git/hooks/pre-commit'))).toBe(false)
    expect(existsSync(join(ws, 'sub'))).toBe(false)
    expect(existsSync(join(ws, '.vscode'))).toBe(false)
    expect(readFileSync(join(ws, 'private/token'), 'utf8')).toBe('sk-hidden\n')
  })
})

describe('edit_file', () => {
  test('replaces exactly one occurrence, and says why when it cannot', async () => {
    writeFileSync(join(ws, 'edit.txt'), 'alpha\nbeta\nbeta\ngamma\n')
    expect((await run({ tool: 'edit_file', path: 'edit.txt', oldText: 'gamma', newText: 'GAMMA $& $1' })).output).toBe('edited edit.txt: replaced 1 occurrence at line 4')
    expect(readFileSync(join(ws, 'edit.txt'), 'utf8')).toBe('alpha\nbeta\nbeta\nGAMMA $& $1\n')
    expect((await run({ tool: 'edit_file', path: 'edit.txt', oldText: 'beta', newText: 'x' })).output).toBe(
      'old_text occurs 2 times in edit.txt; include more surrounding text so it matches exactly once'
    )
    expect((await run({ tool: 'edit_file', path: 'edit.txt', oldText: 'delta', newText: 'x' })).output).toBe(
      'old_text was not found in edit.txt (it must match exactly, including whitespace)'
    )
    expect((await run({ tool: 'edit_file', path: 'link-out', oldText: 'TOP', newText: 'x' })).status).toBe('error')
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe(SECRET)
  })
})
