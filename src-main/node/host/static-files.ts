// Serving the built renderer: a request path maps to a file under the renderer folder or to
// nothing. Shared by the browser-mode server and Electron's app:// protocol.
import { readFile, realpath, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json'
}

export interface StaticFile {
  body: Buffer
  contentType: string
  /** Hashed build assets never change; the entry page always revalidates. */
  immutable: boolean
}

/** The file for a URL path, or null for anything outside the folder, missing, or not a file. */
export async function resolveStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  const candidate = normalize(join(root, relative))
  let realRoot: string
  let real: string
  try {
    realRoot = await realpath(root)
    real = await realpath(candidate)
  } catch {
    return null
  }
  if (!real.startsWith(`${realRoot}${sep}`)) return null
  if (!(await stat(real)).isFile()) return null
  return {
    body: await readFile(real),
    contentType: CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream',
    immutable: relative.startsWith('assets/')
  }
}
