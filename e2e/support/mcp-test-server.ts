// The MCP server the tests use, bundled into one file a repository can carry: a repository's
// server runs in the sandbox, which shows it the workspace but not this project's node_modules
// (nor the project itself when it is checked out under /tmp or the home).
import { rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'vite'
import { ROOT } from './browser-host'

const SERVER_SCRIPT = join(ROOT, 'src-main', 'test-support', 'mcp', 'workspace-mcp-server.mjs')

/** Writes the bundled server into `folder` as `fileName`. */
export async function writeBundledMcpServer(folder: string, fileName: string): Promise<void> {
  const outDir = join(folder, '.mcp-server-build')
  await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    ssr: { noExternal: true },
    build: {
      ssr: SERVER_SCRIPT,
      outDir,
      minify: false,
      target: 'node20',
      rolldownOptions: { output: { format: 'es', entryFileNames: fileName, codeSplitting: false } }
    }
  })
  await rename(join(outDir, fileName), join(folder, fileName))
  await rm(outDir, { recursive: true, force: true })
}
