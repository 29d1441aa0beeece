// The UI benchmark runs in Playwright (Debian's Chromium, like the e2e suite), not in `npm test`:
//   npx playwright test -c bench/ui
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.bench\.ts/,
  outputDir: '../../test-results/bench-ui',
  reporter: 'list',
  workers: 1,
  timeout: 180_000,
  use: {
    headless: true,
    viewport: { width: 1360, height: 860 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
    }
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }]
})
