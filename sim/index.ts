// The sim's public surface: start a Responses-compatible server, load scenarios, parse faults.
export { startSim, type SimServer } from './server/start-sim'
export type { SimConfig, SimOptions, SimSettings } from './server/settings'
export { DEFAULT_CONNECTION_AGE_LIMIT_MS, DEFAULT_SCENARIO } from './server/settings'
export type { ConnectionInfo, ReceivedMessage, ResponseLogEntry, ResponseOutcome, SimStats } from './server/recorder'
export { BUILTIN_SCENARIOS, loadScenario, parseScenario, ScenarioError } from './scenarios/load-scenario'
export type { Ending, Scenario, ScriptedItem, Timing, Turn } from './scenarios/scenario-schema'
export { FAULT_SYNTAX, formatFault, parseFault, parseFaults, type FaultSpec } from './faults/fault-spec'
export { scenarioTimeline, type TurnTiming } from './model/timeline'
