// Where the UI benchmarks write their results: bench/ui/results/, or the folder a benchmark run
// that saves nothing names in TETHER_BENCH_RESULTS_DIR (see bench/throughput/gather.ts).
import { join } from 'node:path'

export const RESULTS = process.env.TETHER_BENCH_RESULTS_DIR ?? join(import.meta.dirname, 'results')
