// Runs the app's scale measurements (not tests): npx vitest run --config bench/app/measure.config.ts
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['bench/app/**/*.measure.ts'],
    testTimeout: 600_000,
    fileParallelism: false
  }
})
