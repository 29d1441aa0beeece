// Scenarios by built-in name or from a JSON file, validated against the schema (and their fault
// specs parsed) so a mistake is reported with its path instead of surfacing as odd behaviour.
import { existsSync, readFileSync } from 'node:fs'
import { z } from 'zod'
import { parseFaults } from '../faults/fault-spec'
import demo from './builtin/demo.json'
import longText from './builtin/long-text.json'
import parallel from './builtin/parallel.json'
import readOnly from './builtin/read-only.json'
import specToPr from './builtin/spec-to-pr.json'
import { scenarioSchema, type Scenario } from './scenario-schema'

const BUILTIN: Record<string, unknown> = {
  'spec-to-pr': specToPr,
  parallel,
  'long-text': longText,
  demo,
  'read-only': readOnly
}

export const BUILTIN_SCENARIOS: readonly string[] = Object.keys(BUILTIN)

export class ScenarioError extends Error {}

export function parseScenario(value: unknown, source: string): Scenario {
  const parsed = scenarioSchema.safeParse(value)
  if (!parsed.success) throw new ScenarioError(`${source}: invalid scenario:\n${z.prettifyError(parsed.error)}`)
  try {
    parseFaults(parsed.data.faults ?? [])
  } catch (error) {
    throw new ScenarioError(`${source}: ${(error as Error).message}`)
  }
  return parsed.data
}

/** A built-in name (`spec-to-pr`, `parallel`, `long-text`, `demo`, `read-only`) or a path to a JSON file. */
export function loadScenario(nameOrPath: string): Scenario {
  const builtin = BUILTIN[nameOrPath]
  if (builtin !== undefined) return parseScenario(structuredClone(builtin), `built-in scenario '${nameOrPath}'`)
  if (!existsSync(nameOrPath)) {
    throw new ScenarioError(`unknown scenario '${nameOrPath}': not a built-in (${BUILTIN_SCENARIOS.join(', ')}) and no such file`)
  }
  let value: unknown
  try {
    value = JSON.parse(readFileSync(nameOrPath, 'utf8'))
  } catch (error) {
    throw new ScenarioError(`${nameOrPath}: not valid JSON: ${(error as Error).message}`)
  }
  return parseScenario(value, nameOrPath)
}
