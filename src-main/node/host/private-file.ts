// Files only this user may read: settings and saved keys. Written whole, atomically, mode 0600.
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

export async function writePrivateFile(path: string, contents: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.tmp`
  await writeFile(temporary, contents, { mode: 0o600 })
  // The mode of writeFile applies only to new files; a leftover temp file keeps its old mode.
  await chmod(temporary, 0o600)
  await rename(temporary, path)
}

/** The file's text, or null when it does not exist. */
export async function readOptionalFile(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}
