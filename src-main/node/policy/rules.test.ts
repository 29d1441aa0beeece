import { describe, expect, it } from 'vitest'
import { formatRule, matchesPrefix, ruleProblem, strictestMatch, type PrefixRule, type ScopedRule } from './rules'
import { suggestRule } from './suggest-rule'

const always = (decision: PrefixRule['decision'], ...prefix: string[]): ScopedRule => ({ rule: { decision, prefix }, scope: 'always' })

describe('prefix matching', () => {
  const cases: [prefix: string[], tokens: (string | null)[], matches: boolean][] = [
    [['npm', 'test'], ['npm', 'test'], true],
    [['npm', 'test'], ['npm', 'test', '--watch'], true],
    [['npm', 'test'], ['npm'], false],
    [['npm', 'test'], ['npm', 'testx'], false],
    [['npm', 'test'], ['npx', 'test'], false],
    [['git'], ['git', 'push', '--force'], true],
    [['git', 'push'], ['git', null], false],
    [['rm'], [null, '-rf', '/'], false],
    [[], ['ls'], false],
    [['ls', '-la'], ['ls', '-l', '-a'], false]
  ]
  it.for(cases)('%j matches %j: %s', ([prefix, tokens, matches]) => {
    expect(matchesPrefix(prefix, tokens)).toBe(matches)
  })
})

describe('the strictest rule wins', () => {
  it('deny beats ask beats allow, whatever the order or the length of the prefixes', () => {
    const rules = [always('allow', 'git', 'push', 'origin'), always('ask', 'git', 'push'), always('deny', 'git')]
    expect(strictestMatch(['git', 'push', 'origin', 'main'], rules)).toEqual(always('deny', 'git'))
    expect(strictestMatch(['git', 'push', 'origin', 'main'], rules.slice(0, 2))).toEqual(always('ask', 'git', 'push'))
    expect(strictestMatch(['git', 'push', 'origin', 'main'], rules.slice(0, 1))).toEqual(always('allow', 'git', 'push', 'origin'))
  })

  it('among rules with the same decision, the most specific is reported', () => {
    const rules = [always('allow', 'npm'), always('allow', 'npm', 'run', 'lint')]
    expect(strictestMatch(['npm', 'run', 'lint'], rules)).toEqual(always('allow', 'npm', 'run', 'lint'))
  })

  it('finds nothing when no rule matches', () => {
    expect(strictestMatch(['ls'], [always('deny', 'rm')])).toBeNull()
  })
})

describe('rule validation', () => {
  const cases: [prefix: unknown[], problem: string | null][] = [
    [['npm', 'test'], null],
    [[], 'a rule needs at least the program name'],
    [['npm', ''], 'every token of a rule is a non-empty string'],
    [['npm', 3], 'every token of a rule is a non-empty string'],
    [['npm', 'a\nb'], 'a rule token cannot contain NUL or line breaks'],
    [Array.from({ length: 65 }, () => 'x'), 'a rule has at most 64 tokens']
  ]
  it.for(cases)('%j: %s', ([prefix, problem]) => {
    expect(ruleProblem(prefix)).toBe(problem)
  })

  it('shows rules the way a shell would read them', () => {
    expect(formatRule({ decision: 'allow', prefix: ['npm', 'run', 'my script'] })).toBe("allow `npm run 'my script'`")
  })
})

describe('the rule "always" suggests', () => {
  const cases: [tokens: (string | null)[], rule: string[] | null][] = [
    [['npm', 'test'], ['npm', 'test']],
    [['npm', 'test', '--', '--watch'], ['npm', 'test']],
    [['npm', 'run', 'lint', '--fix'], ['npm', 'run', 'lint']],
    [['pnpm', 'exec', 'vitest', 'run'], ['pnpm', 'exec', 'vitest']],
    [['cargo', 'build', '--release'], ['cargo', 'build']],
    [['git', 'commit', '-m', 'msg'], ['git', 'commit']],
    [['git', '-C', 'dir', 'commit'], ['git', '-C', 'dir', 'commit']],
    [['npm', '--version'], ['npm', '--version']],
    [['make'], ['make']],
    [['mkdir', '-p', 'build'], ['mkdir']],
    [['touch', 'a', 'b'], ['touch']],
    [['python3', 'tools/gen.py', '--out', 'x'], ['python3', 'tools/gen.py']],
    [['python3', '-c', 'print(1)'], null],
    [['bash', 'scripts/ci.sh'], ['bash', 'scripts/ci.sh']],
    [['bash'], null],
    [['rm', '-rf', 'build'], ['rm', '-rf', 'build']],
    [['rm', null], null],
    [['curl', 'https://example.com'], ['curl', 'https://example.com']],
    [[null, 'x'], null],
    [['git', null, 'x'], null],
    [['./gradlew', 'build'], ['./gradlew', 'build']]
  ]
  it.for(cases)('%j -> %j', ([tokens, rule]) => {
    expect(suggestRule(tokens)).toEqual(rule)
  })
})
