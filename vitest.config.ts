import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-renderer/**/*.test.ts', 'sim/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    setupFiles: ['./src-main/test-support/fail-on-console.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]]
  }
})
