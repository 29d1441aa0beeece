import type { Scenario } from '../../../sim'

/** Four turns whose shell calls append to a ledger file: any tool run twice shows in the file. */
export const LEDGER: Scenario = {
  name: 'ledger',
  turns: [
    {
      output: [
        { type: 'reasoning', summary: 'Start the ledger.' },
        { type: 'message', text: 'Starting.' },
        { type: 'function_call', name: 'shell', arguments: { command: 'echo step-1 >> ledger.txt', timeout_ms: null } }
      ]
    },
    {
      output: [
        { type: 'function_call', name: 'read_file', arguments: { path: 'ledger.txt', start_line: null, end_line: null } },
        { type: 'function_call', name: 'list_dir', arguments: { path: '.' } }
      ]
    },
    { output: [{ type: 'function_call', name: 'shell', arguments: { command: 'echo step-2 >> ledger.txt', timeout_ms: null } }] },
    { output: [{ type: 'message', text: 'The ledger has both steps.' }] }
  ]
}

