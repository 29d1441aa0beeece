// Runs the sim's measurements (not tests): npx vitest run --config sim/bench/measure.config.ts
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['sim/bench/**/*.measure.ts'],
    testTimeout: 300_000,
    fileParallelism: false
  }
})
