// Compiles a TypeScript entry into one self-contained ES module for plain `node` (Node built-ins
// stay external). Tests use it for child processes that must run the real store code outside the
// test runner, e.g. to be killed mid-write.
import { join } from 'node:path'
import { build } from 'vite'

const ROOT = join(import.meta.dirname, '..', '..')

/** Bundles `entry` (a .ts or .mjs file, relative to the project root) into `outDir` and returns the script's path. */
export async function bundleForNode(entry: string, outDir: string): Promise<string> {
  await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    ssr: { noExternal: true },
    build: {
      ssr: join(ROOT, entry),
      outDir,
      emptyOutDir: false,
      minify: false,
      target: 'node20',
      rolldownOptions: { output: { format: 'es', entryFileNames: '[name].mjs' } }
    }
  })
  const name = entry.split('/').pop()!.replace(/\.(ts|mjs)$/, '')
  return join(outDir, `${name}.mjs`)
}
