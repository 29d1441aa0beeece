#!/usr/bin/env node
// `npm start`: builds when the sources are newer than the build, then opens the desktop app.
// Where Electron cannot run (no binary installed, or no display), it says so in one line and
// serves browser mode instead; extra arguments go to `tether web` (e.g. `npm start -- --port 4000`).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const sources = ['src-main', 'src-renderer', 'sim', 'resources', 'electron.vite.config.ts', 'package.json']
const outputs = ['out/main/electron.js', 'out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html']

function newestChange(path) {
  const info = statSync(path, { throwIfNoEntry: false })
  if (!info) return 0
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue
    newest = Math.max(newest, newestChange(join(path, name)))
  }
  return newest
}

function buildIsCurrent() {
  const built = outputs.map((path) => statSync(join(root, path), { throwIfNoEntry: false })?.mtimeMs ?? 0)
  const oldestOutput = Math.min(...built)
  return oldestOutput > 0 && oldestOutput >= Math.max(...sources.map((path) => newestChange(join(root, path))))
}

/** The Electron binary, or why it cannot be used here. */
function electronBinary() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) return { ok: false, reason: 'the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD or an offline install)' }
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(binary)) return { ok: false, reason: `the Electron binary is missing at ${binary}` }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { ok: false, reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' }
  return { ok: true, binary }
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

if (!buildIsCurrent()) {
  process.stderr.write('Building Tether…\n')
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  if (build.status !== 0) {
    process.stderr.write('The build failed; see the errors above.\n')
    process.exit(build.status ?? 1)
  }
}

const electron = electronBinary()
if (electron.ok) {
  run(electron.binary, [root, ...process.argv.slice(2)])
} else {
  process.stderr.write(`Electron cannot start: ${electron.reason}. Starting browser mode instead; open the address below.\n`)
  run(process.execPath, [join(root, 'out', 'main', 'cli.js'), 'web', ...process.argv.slice(2)])
}
