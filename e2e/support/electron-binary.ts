// Whether the Electron binary exists here. Never touches `require('electron')`, which would try
// to download it.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './browser-host'

export function electronBinary(): { path: string } | { missing: string } {
  const pathFile = join(ROOT, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) return { missing: 'the Electron binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD; no download access)' }
  const path = join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(path)) return { missing: `the Electron binary is missing at ${path}` }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { missing: 'no display for Electron (run under xvfb-run)' }
  return { path }
}
