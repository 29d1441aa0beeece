// Unit tests of the benchmark harness (the benchmarks themselves are not tests):
//   npx vitest run --config bench/vitest.config.ts
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['bench/*.test.ts', 'bench/transport/**/*.test.ts', 'bench/report/**/*.test.ts', 'bench/throughput/**/*.test.ts'],
    testTimeout: 60_000,
    setupFiles: ['./src-main/test-support/fail-on-console.ts']
  }
})
