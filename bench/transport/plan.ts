// The order of the measured runs, in rounds: one round is one variant, repetition and RTT, and
// every client runs once in it. The client that goes first rotates from one repetition to the
// next, so slow drift of the machine (thermal, page cache, a background job) lands on every
// client alike. Warm-up rounds come first and are not counted.

export interface Round<C> {
  variant: string
  repetition: number
  rttMs: number
  warmup: boolean
  clients: C[]
}

export interface VariantPlan {
  name: string
  rttsMs: readonly number[]
  repetitions: number
}

function rotated<C>(clients: readonly C[], by: number): C[] {
  return clients.map((_, index) => clients[(index + by) % clients.length] as C)
}

export function planRounds<C>(clients: readonly C[], variants: readonly VariantPlan[], warmups: number): Round<C>[] {
  const rounds: Round<C>[] = []
  const first = variants[0]
  if (first) {
    for (let repetition = 0; repetition < warmups; repetition++) {
      rounds.push({ variant: first.name, repetition, rttMs: first.rttsMs[0] ?? 0, warmup: true, clients: rotated(clients, repetition) })
    }
  }
  for (const variant of variants) {
    for (let repetition = 0; repetition < variant.repetitions; repetition++) {
      for (const rttMs of variant.rttsMs) rounds.push({ variant: variant.name, repetition, rttMs, warmup: false, clients: rotated(clients, repetition) })
    }
  }
  return rounds
}
