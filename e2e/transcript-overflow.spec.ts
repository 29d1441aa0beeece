/// <reference lib="dom" />
// Long lines in code blocks and in tool output stay inside the window: the code block and the
// terminal scroll on their own, the page never scrolls sideways.
import { startRunOnSample, useSimApp } from './support/app-setup'
import { expect, test } from './support/fixtures'
import { horizontalOverflow } from './support/layout'

const LONG_LINE = Array.from({ length: 60 }, (_, index) => `segment_${index}`).join('_')
const SCENARIO = {
  name: 'e2e-long-lines',
  turns: [
    {
      output: [
        { type: 'message', text: `A long line in a code block:\n\n\`\`\`js\nconst value = '${LONG_LINE}'\n\`\`\`\n\nAnd a long word: ${LONG_LINE}` },
        { type: 'function_call', name: 'shell', arguments: { command: `echo ${LONG_LINE} && seq -s, 1 400`, timeout_ms: null } }
      ]
    },
    { output: [{ type: 'message', text: 'Done.' }] }
  ]
}

test.describe('long lines in the transcript', () => {
  const app = useSimApp({ scenario: SCENARIO, tokenIntervalMs: 0, ttftMs: 10, approvalMode: 'auto-in-sandbox' })

  for (const width of [1024, 1440]) {
    test(`nothing pushes the layout past the right edge at ${width} px`, async ({ page }) => {
      test.setTimeout(60_000)
      await page.setViewportSize({ width, height: 900 })
      await startRunOnSample(page, app, 'Print something long.')
      await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Completed', { timeout: 30_000 })
      const card = page.getByRole('article').filter({ hasText: 'seq -s, 1 400' })
      await card.getByRole('button', { name: /seq -s, 1 400/ }).click()
      await expect(card.getByRole('log', { name: 'Terminal output' })).toContainText('399,400')
      expect(await horizontalOverflow(page)).toEqual([])
    })
  }
})
