import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { CountingHttpServer, hostAddress } from '../../../test-support/tools/probes'
import { removeScratch, scratchDir } from '../../../test-support/tools/scratch'

const TETHER = resolve(import.meta.dirname, '../../../../bin/tether.js')
const root = scratchDir('cli-sandbox')
const ws = join(root, 'ws')
mkdirSync(ws)
afterAll(() => removeScratch(root))

function tether(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [TETHER, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TETHER_HOME: join(root, 'home') } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => done({ code, stdout, stderr }))
  })
}

describe('tether sandbox', () => {
  test('runs the command in the sandbox and exits with its status', async () => {
    const outsideFile = join(root, 'outside.txt')
    const result = await tether(['sandbox', '--workspace', ws, '--', 'sh', '-c', `echo made > inside.txt; echo x > ${outsideFile}; echo "done $(cat inside.txt)"; exit 7`])
    expect(result.code).toBe(7)
    // One terminal: the command's stderr arrives on stdout, as in the shell tool.
    expect(result.stdout).toBe(`sh: 1: cannot create ${outsideFile}: Read-only file system\ndone made\n`)
    expect(result.stderr).toBe('')
    expect(readFileSync(join(ws, 'inside.txt'), 'utf8')).toBe('made\n')
    expect(existsSync(outsideFile)).toBe(false)
  })

  test('quotes arguments as separate words', async () => {
    const result = await tether(['sandbox', '--workspace', ws, '--', 'printf', '%s|', 'two words', "it's", '$HOME'])
    expect(result).toEqual({ code: 0, stdout: "two words|it's|$HOME|", stderr: '' })
  })

  test('a timeout exits with 124 and says so', async () => {
    const result = await tether(['sandbox', '--workspace', ws, '--timeout-ms', '300', '--', 'sleep', '30'])
    expect(result.code).toBe(124)
    expect(result.stderr).toBe('tether sandbox: timed out after 300 ms; every process of the call was killed\n')
  })

  test('--allow-network lets only the listed hosts through', async () => {
    const server = await new CountingHttpServer().listen()
    try {
      const host = hostAddress()
      const result = await tether(['sandbox', '--workspace', ws, '--allow-network', host, '--', 'sh', '-c', `curl -s http://${host}:${server.port}/; curl -s -o /dev/null http://example.org/`])
      expect(result.stdout).toBe('reached the host\n')
      expect(result.stderr).toBe('tether sandbox: network: blocked a connection to example.org:80 (not in the network allowlist)\n')
      expect(server.hits).toBe(1)
    } finally {
      server.close()
    }
  })

  test('usage errors exit with 2', async () => {
    expect((await tether(['sandbox', '--', 'true'])).code).toBe(2)
    expect((await tether(['sandbox', '--workspace', ws])).code).toBe(2)
    expect((await tether(['sandbox', '--workspace', join(root, 'missing'), '--', 'true'])).stderr).toBe(`tether sandbox: the workspace ${join(root, 'missing')} does not exist\n`)
    expect((await tether(['sandbox', '--bogus'])).code).toBe(2)
    expect(await tether(['sandbox', '--workspace', '/usr', '--', 'true'])).toEqual({ code: 2, stdout: '', stderr: 'tether sandbox: this folder cannot be a workspace: /usr is a system folder; open a project folder instead\n' })
    expect(await tether(['sandbox', '--workspace', join(root, 'home'), '--', 'true'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `tether sandbox: this folder cannot be a workspace: ${join(root, 'home')} contains Tether's data folder (${join(root, 'home')}), with its keys and run logs\n`
    })
    expect((await tether(['sandbox', '--workspace', ws, '--home-allow', '../elsewhere', '--', 'true'])).stderr).toContain('--home-allow:')
    expect((await tether(['sandbox', '--help'])).code).toBe(0)
  })
})
