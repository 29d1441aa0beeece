// Holds a run's first read of the workspace (`WorkspaceCheckpoints.open`) until the test lets it
// go, so a test can see what runs, and what waits, while that read is under way.
import { vi } from 'vitest'
import { WorkspaceCheckpoints } from '../../node/snapshots/workspace-checkpoints'

export interface HeldFirstRead {
  release: () => void
  released: () => boolean
  /** How many first reads were started. */
  opened: () => number
  restore: () => void
}

export function holdFirstRead(): HeldFirstRead {
  let release: () => void = () => undefined
  let released = false
  const gate = new Promise<void>((resolve) => (release = resolve))
  const open = WorkspaceCheckpoints.open.bind(WorkspaceCheckpoints)
  const spy = vi.spyOn(WorkspaceCheckpoints, 'open').mockImplementation(async (...args) => {
    await gate
    return open(...args)
  })
  return {
    release: () => {
      released = true
      release()
    },
    released: () => released,
    opened: () => spy.mock.calls.length,
    restore: () => spy.mockRestore()
  }
}
