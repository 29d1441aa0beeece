// Saved rules, one file per repository in Tether's data dir (never inside the repository, where
// the model could write them): <dataDir>/rules/<sha256 of the workspace's real path>.json.
// Written atomically (temporary file, fsync, rename, fsync of the directory); a file that cannot
// be read is reported and never overwritten, so a hand edit with a typo loses nothing.
import { createHash, randomBytes } from 'node:crypto'
import { statSync } from 'node:fs'
import { mkdir, open, readFile, realpath, rename, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { syncDirectory } from '../store/sync-directory'
import { matchesPrefix, ruleProblem, sameRule, type PrefixRule } from './rules'

export const RULES_FILE_VERSION = 1

const tokens = z.array(z.string()).superRefine((prefix, context) => {
  const problem = ruleProblem(prefix)
  if (problem) context.addIssue({ code: 'custom', message: problem })
})

const storedRule = z.strictObject({
  decision: z.enum(['allow', 'ask', 'deny']),
  prefix: tokens,
  savedAt: z.string().optional(),
  /** Commands (as tokens) the rule must match and must not match; checked when the file is read. */
  examples: z.strictObject({ match: z.array(z.array(z.string())).optional(), notMatch: z.array(z.array(z.string())).optional() }).optional()
})

const rulesFile = z.strictObject({
  version: z.literal(RULES_FILE_VERSION),
  workspace: z.string(),
  rules: z.array(storedRule)
})

type RulesFile = z.infer<typeof rulesFile>

export interface LoadedRules {
  path: string
  rules: PrefixRule[]
  /** Why the file cannot be used (it is then left alone); null when it is fine or absent. */
  problem: string | null
}

interface CachedFile {
  key: string
  loaded: LoadedRules
}

function checkExamples(file: RulesFile): string | null {
  for (const [index, rule] of file.rules.entries()) {
    for (const example of rule.examples?.match ?? []) {
      if (!matchesPrefix(rule.prefix, example)) return `rule ${index + 1} (${rule.prefix.join(' ')}) does not match its example \`${example.join(' ')}\``
    }
    for (const example of rule.examples?.notMatch ?? []) {
      if (matchesPrefix(rule.prefix, example)) return `rule ${index + 1} (${rule.prefix.join(' ')}) matches \`${example.join(' ')}\`, which it must not`
    }
  }
  return null
}

export class RuleStore {
  readonly directory: string
  #cache = new Map<string, CachedFile>()
  #paths = new Map<string, string>()
  #writing = new Map<string, Promise<void>>()

  constructor(directory: string) {
    this.directory = directory
  }

  /** The file for a workspace, named by the hash of its real path. */
  async pathFor(workspace: string): Promise<string> {
    const known = this.#paths.get(workspace)
    if (known !== undefined) return known
    const real = await realpath(workspace).catch(() => workspace)
    const path = join(this.directory, `${createHash('sha256').update(real).digest('hex')}.json`)
    this.#paths.set(workspace, path)
    return path
  }

  async load(workspace: string): Promise<LoadedRules> {
    const path = await this.pathFor(workspace)
    let key: string
    try {
      // Checked before every shell command is judged: a stat of a small local file, done
      // synchronously because a trip through the thread pool costs more than the call itself. A
      // workspace without rules is the common case, so its missing file costs no exception.
      const info = statSync(path, { throwIfNoEntry: false })
      if (info === undefined) return { path, rules: [], problem: null }
      key = `${info.ino}:${info.size}:${info.mtimeMs}`
    } catch (error) {
      return { path, rules: [], problem: `cannot read ${path}: ${(error as Error).message}` }
    }
    const cached = this.#cache.get(path)
    if (cached?.key === key) return cached.loaded
    const loaded = await this.#read(path)
    this.#cache.set(path, { key, loaded })
    return loaded
  }

  /** Saves a rule for the workspace unless the same rule is saved already. */
  async add(workspace: string, rule: PrefixRule): Promise<void> {
    const problem = ruleProblem(rule.prefix)
    if (problem) throw new Error(`not a valid rule: ${problem}`)
    const path = await this.pathFor(workspace)
    const previous = this.#writing.get(path) ?? Promise.resolve()
    const next = previous.catch(() => undefined).then(() => this.#append(path, workspace, rule))
    this.#writing.set(path, next)
    try {
      await next
    } finally {
      if (this.#writing.get(path) === next) this.#writing.delete(path)
    }
  }

  async #read(path: string): Promise<LoadedRules> {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      return { path, rules: [], problem: `cannot read ${path}: ${(error as Error).message}` }
    }
    const parsed = parseRulesFile(path, text)
    if (!parsed.ok) return { path, rules: [], problem: parsed.problem }
    return { path, rules: parsed.file.rules.map(({ decision, prefix }) => ({ decision, prefix })), problem: null }
  }

  async #append(path: string, workspace: string, rule: PrefixRule): Promise<void> {
    const current = await this.#currentFile(path, workspace)
    if (current.rules.some((saved) => sameRule(saved, rule))) return
    const next: RulesFile = { ...current, rules: [...current.rules, { decision: rule.decision, prefix: [...rule.prefix], savedAt: new Date().toISOString() }] }
    await writeAtomically(path, `${JSON.stringify(next, null, 2)}\n`)
    this.#cache.delete(path)
  }

  /** The file as it is on disk now (another process may have added rules); refuses to replace a broken one. */
  async #currentFile(path: string, workspace: string): Promise<RulesFile> {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      return { version: RULES_FILE_VERSION, workspace: await realpath(workspace).catch(() => workspace), rules: [] }
    }
    const parsed = parseRulesFile(path, text)
    if (!parsed.ok) throw new Error(`${parsed.problem}; fix or move it away before saving new rules`)
    return parsed.file
  }
}

function parseRulesFile(path: string, text: string): { ok: true; file: RulesFile } | { ok: false; problem: string } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { ok: false, problem: `${path} is not valid JSON (${(error as Error).message})` }
  }
  const parsed = rulesFile.safeParse(json)
  if (!parsed.success) return { ok: false, problem: `${path} is not a rules file: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}` }
  const examples = checkExamples(parsed.data)
  return examples ? { ok: false, problem: `${path}: ${examples}` } : { ok: true, file: parsed.data }
}

async function writeAtomically(path: string, contents: string): Promise<void> {
  const directory = dirname(path)
  await mkdir(directory, { recursive: true, mode: 0o700 })
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  const file = await open(temporary, 'wx', 0o600)
  try {
    await file.writeFile(contents, 'utf8')
    await file.sync()
  } catch (error) {
    await file.close()
    await unlink(temporary).catch(() => undefined)
    throw error
  }
  await file.close()
  try {
    await rename(temporary, path)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    throw error
  }
  await syncDirectory(directory)
}
