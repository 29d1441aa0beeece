// Tether's approval policy: classifies shell commands with tree-sitter-bash, applies the run's
// mode and the repository's rules, and judges scripts and file reads and writes by their paths.
// Classification is convenience; the sandbox stays the security boundary.
import { homedir, tmpdir } from 'node:os'
import type { ApprovalDecision } from '../../common/run/records'
import { assertNever } from '../../common/run/records'
import type { DataDir } from '../store/data-dir'
import type { ApprovalPolicy, PolicyInput, PolicyVerdict } from './approval-policy'
import { loadBashParser, type BashParser } from './bash-parser'
import { classifyShellCommand } from './classify-command'
import { isMcpRule, mcpVerdict } from './mcp-verdict'
import { defaultPathEnvironment, type PathEnvironment } from './path-scope'
import { RuleStore } from './rule-store'
import { ruleProblem, sameRule, type PrefixRule, type RuleScope } from './rules'
import { shellVerdict } from './shell-verdict'
import { invalidVerdict, readVerdict, scriptVerdict, writeVerdict } from './subject-verdicts'

export interface TetherPolicyOptions {
  /** Where saved rules live (`<dataDir>/rules`); the data dir itself is protected from commands. */
  dataDir: DataDir
  /** The home directory commands see; the user's by default. */
  home?: string
  /** Scratch directories whose contents may be deleted freely; the OS temp dir and /tmp by default. */
  tempDirs?: string[]
  /** A parser to use instead of loading the shared one. */
  parser?: BashParser
}

export class TetherPolicy implements ApprovalPolicy {
  readonly rules: RuleStore
  #dataDir: DataDir
  #home: string
  #tempDirs: string[]
  #parser: Promise<BashParser>
  #environments = new Map<string, PathEnvironment>()
  #runRules = new Map<string, PrefixRule[]>()

  constructor(options: TetherPolicyOptions) {
    this.#dataDir = options.dataDir
    this.rules = new RuleStore(options.dataDir.rules)
    this.#home = options.home ?? homedir()
    this.#tempDirs = options.tempDirs ?? [...new Set([tmpdir(), '/tmp'])]
    this.#parser = options.parser ? Promise.resolve(options.parser) : loadBashParser()
  }

  async evaluate(input: PolicyInput): Promise<PolicyVerdict> {
    try {
      return await this.#evaluate(input)
    } catch (error) {
      // Failing closed: a call that cannot be judged asks.
      return {
        decision: 'ask',
        reasons: [`the call could not be classified: ${(error as Error).message}`],
        subcommands: [],
        suggestedRule: null,
        matchedRule: null,
        settledBy: null,
        refusal: null
      }
    }
  }

  async #evaluate(input: PolicyInput): Promise<PolicyVerdict> {
    const { subject } = input
    switch (subject.kind) {
      case 'shell': {
        const parser = await this.#parser
        const saved = await this.rules.load(input.workspace)
        const classification = classifyShellCommand(parser, subject.command, this.environment(input.workspace))
        // An MCP rule never matches a command, however the command is spelled.
        return shellVerdict(
          classification,
          { mode: input.mode, sandboxed: input.sandboxed },
          { saved: saved.rules.filter((rule) => !isMcpRule(rule)), savedProblem: saved.problem, run: (this.#runRules.get(input.runId) ?? []).filter((rule) => !isMcpRule(rule)) }
        )
      }
      case 'mcp': {
        const saved = await this.rules.load(input.workspace)
        return mcpVerdict(subject, input.mode, { saved: saved.rules, savedProblem: saved.problem, run: this.#runRules.get(input.runId) ?? [] })
      }
      case 'script':
        return scriptVerdict(input.mode)
      case 'read':
        return readVerdict(subject.path, this.environment(input.workspace))
      case 'write':
        return writeVerdict(input.tool, subject.path, input.mode, this.environment(input.workspace))
      case 'invalid':
        return invalidVerdict(subject.message)
      default:
        return assertNever(subject, 'tool call subject')
    }
  }

  async remember(workspace: string, runId: string, rule: string[], scope: RuleScope, decision: ApprovalDecision): Promise<void> {
    if (scope === 'run') {
      this.rememberForRun(runId, rule, decision)
      return
    }
    await this.rules.add(workspace, validRule(rule, decision))
  }

  rememberForRun(runId: string, rule: string[], decision: ApprovalDecision): void {
    const prefixRule = validRule(rule, decision)
    const rules = this.#runRules.get(runId) ?? []
    if (!rules.some((known) => sameRule(known, prefixRule))) this.#runRules.set(runId, [...rules, prefixRule])
  }

  /** Drops the rules given for a run that has ended. */
  forgetRun(runId: string): void {
    this.#runRules.delete(runId)
  }

  /** How paths are judged in a workspace (its real path, home, temp dirs, Tether's data). */
  environment(workspace: string): PathEnvironment {
    let environment = this.#environments.get(workspace)
    if (!environment) {
      environment = defaultPathEnvironment({ workspace, home: this.#home, dataDir: this.#dataDir.root, tempDirs: this.#tempDirs })
      this.#environments.set(workspace, environment)
    }
    return environment
  }
}

function validRule(rule: string[], decision: ApprovalDecision): PrefixRule {
  const problem = ruleProblem(rule)
  if (problem) throw new Error(`not a valid rule: ${problem}`)
  return { decision, prefix: [...rule] }
}
