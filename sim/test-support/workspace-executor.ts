// Runs scripted tool calls against a real copy of the sample repository, so scenario tests prove
// the script is coherent with the repo (edits apply, tests fail then pass). It stands in for
// Tether's tool runtime only to check the scenario data; it is not a sandbox.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runInNewContext } from 'node:vm'

export const SAMPLE_REPO = resolve(import.meta.dirname, '../../resources/sample-repo')

export interface CallResult {
  name: string
  args: Record<string, unknown>
  exitCode: number
  output: string
}

export class SampleWorkspace {
  readonly root: string

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'tether-sample-'))
    cpSync(SAMPLE_REPO, this.root, { recursive: true })
    this.run('git init -q && git add -A && git -c user.name=t -c user.email=t@example.com commit -qm initial')
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true })
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8')
  }

  exists(path: string): boolean {
    return existsSync(join(this.root, path))
  }

  run(command: string): { exitCode: number; output: string } {
    const result = spawnSync('bash', ['-c', command], { cwd: this.root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.root } })
    return { exitCode: result.status ?? -1, output: `${result.stdout}${result.stderr}` }
  }

  execute(name: string, args: Record<string, unknown>): CallResult {
    const done = (exitCode: number, output: string): CallResult => ({ name, args, exitCode, output })
    const path = (key = 'path'): string => join(this.root, String(args[key] ?? '.'))
    switch (name) {
      case 'shell': {
        const { exitCode, output } = this.run(String(args.command))
        return done(exitCode, output)
      }
      case 'read_file': {
        const lines = readFileSync(path(), 'utf8').split('\n')
        const start = (args.start_line as number | null) ?? 1
        const end = (args.end_line as number | null) ?? lines.length
        return done(0, lines.slice(start - 1, end).join('\n'))
      }
      case 'list_dir':
        return done(0, readdirSync(path()).sort().join('\n'))
      case 'search': {
        const target = args.path === null ? '.' : String(args.path)
        const { exitCode, output } = this.run(`grep -rnE ${shellQuote(String(args.pattern))} ${shellQuote(target)} --exclude-dir=.git --exclude-dir=node_modules`)
        return done(exitCode, output)
      }
      case 'write_file':
        writeFileSync(path(), String(args.content))
        return done(0, 'written')
      case 'edit_file': {
        const text = readFileSync(path(), 'utf8')
        const occurrences = text.split(String(args.old_text)).length - 1
        if (occurrences !== 1) return done(1, `old_text found ${occurrences} times`)
        writeFileSync(path(), text.replace(String(args.old_text), () => String(args.new_text)))
        return done(0, 'edited')
      }
      case 'script': {
        const logs: string[] = []
        const tether = {
          readFile: (file: string) => readFileSync(join(this.root, file), 'utf8'),
          listDir: (dir: string) => readdirSync(join(this.root, dir)).sort(),
          search: (pattern: string, dir: string) => this.run(`grep -rnE ${shellQuote(pattern)} ${shellQuote(dir)}`).output
        }
        try {
          runInNewContext(String(args.code), { tether, console: { log: (...parts: unknown[]) => logs.push(parts.map(String).join(' ')) } }, { timeout: 2000 })
          return done(0, logs.join('\n'))
        } catch (error) {
          return done(1, String(error))
        }
      }
      default:
        return done(1, `unknown tool ${name}`)
    }
  }
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}
