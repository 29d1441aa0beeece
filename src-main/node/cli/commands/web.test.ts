// `tether web` as a person runs it: the built CLI in a child process.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureBuiltCli, runCli } from '../../../test-support/built-cli'
import { useTempDirs } from '../../../test-support/temp-dir'

const tempDir = useTempDirs('tether-cli-web-')

beforeAll(ensureBuiltCli, 120_000)

describe('tether web', () => {
  it('prints the address with its token first, serves the app, and stops cleanly on SIGTERM', async () => {
    const home = await tempDir()
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', '..', '..', 'bin', 'tether.js'), 'web', '--port', '0'], {
      env: { ...process.env, TETHER_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve))
    expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/)
    const page = await fetch(new URL(first).origin)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>Tether</title>')
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it('refuses a non-loopback address unless asked, and a bad port', async () => {
    expect(await runCli(['web', '--host', '0.0.0.0'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'tether web: refusing to listen on 0.0.0.0: browser mode binds to loopback only unless --allow-remote is given\n'
    })
    expect(await runCli(['web', '--port', 'eighty'])).toEqual({ code: 2, stdout: '', stderr: "tether web: --port needs a port number, got 'eighty'\n" })
  })
})
