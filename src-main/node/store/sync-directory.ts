import { open } from 'node:fs/promises'

/** A new or renamed file survives a crash only once its directory entry is synced too. */
export async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r')
  try {
    await directory.sync()
  } finally {
    await directory.close()
  }
}
