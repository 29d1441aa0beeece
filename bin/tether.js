#!/usr/bin/env node
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const entry = fileURLToPath(new URL('../out/main/cli.js', import.meta.url))
if (!existsSync(entry)) {
  process.stderr.write('tether: not built yet; run `npm run build` first\n')
  process.exit(2)
}
await import(entry)
