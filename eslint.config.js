// ESLint for the whole tree. Besides the usual TypeScript and Svelte checks, it encodes the
// layering of the design as import rules, one block per layer:
//   src-main/common        pure TypeScript: zod, diff, type-only openai and itself; no Node or DOM globals
//   src-main/node          Node; never Electron, the Electron main process, the preload or the renderer
//   src-main/electron-main Electron; never the native Node packages, the preload or the renderer
//   src-main/preload       electron and src-main/common only
//   src-renderer           src-main/common, its own code and UI packages; no Node globals
// and for all product code: no test support, no bench/, and the sim only through its entry
// (sim/index.ts: the offline demo and `tether sim` ship it). Tests may also use test support.
import globals from 'globals'
import svelte from 'eslint-plugin-svelte'
import tseslint from 'typescript-eslint'

const NATIVE_NODE_PACKAGE = '^(ws|node-pty|isolated-vm)(/.*)?$'
const RENDERER_PACKAGES = ['svelte', 'marked', 'dompurify', '@xterm/.*', 'highlight\\.js', 'diff', '@tanstack/virtual-core']

const pattern = (regex, message, extra = {}) => ({ regex, message, ...extra })

const noElectron = pattern('^electron(/.*)?$', 'electron may be imported only in src-main/electron-main and src-main/preload')
const noNativePackage = (layer) => pattern(NATIVE_NODE_PACKAGE, `${layer} may not import the native Node packages (ws, node-pty, isolated-vm): they run only under src-main/node`)
const noFolder = (folder, message) => pattern(`^(\\.\\./)+(.*/)?${folder}(/|$)`, message)
const noNodeCode = (layer) => noFolder('node', `${layer} may not import src-main/node`)
const noElectronMainCode = (layer) => noFolder('electron-main', `${layer} may not import src-main/electron-main`)
const noPreloadCode = (layer) => noFolder('preload', `${layer} may not import the preload`)
const noRendererCode = (layer) => noFolder('src-renderer', `${layer} may not import renderer code`)

/** What no product file may import; tests may. */
const productOnly = [
  pattern('(^|/)test-support(/|$)', 'product code may not import test support'),
  noFolder('bench', 'product code may not import bench/'),
  pattern('^(\\.\\./)+sim/(?!index$)', 'product code may use the sim only through its entry, sim/index')
]

const LAYERS = {
  common: [
    pattern('^(?!\\.)(?!zod(/|$))(?!diff(/|$))(?!openai(/|$))', 'src-main/common is pure TypeScript: it may import only zod, diff, type-only openai and src-main/common'),
    pattern('^openai(/|$)', 'src-main/common may use openai only for types: write `import type`', { allowTypeImports: true }),
    noNodeCode('src-main/common'),
    noElectronMainCode('src-main/common'),
    noPreloadCode('src-main/common'),
    noRendererCode('src-main/common')
  ],
  node: [noElectron, noElectronMainCode('src-main/node'), noPreloadCode('src-main/node'), noRendererCode('src-main/node')],
  electronMain: [noNativePackage('the Electron main process'), noPreloadCode('the Electron main process'), noRendererCode('the Electron main process')],
  preload: [
    pattern('^(?!\\.)(?!electron$)', 'the sandboxed preload may import only electron and src-main/common'),
    pattern('^(\\.\\./)+(?!common/)[^.]', 'the preload may import only src-main/common')
  ],
  renderer: [
    pattern(`^(?!\\.)(?!(${RENDERER_PACKAGES.join('|')})(/|$))`, `the renderer may import only src-main/common, its own code and UI packages (${RENDERER_PACKAGES.join(', ')})`),
    pattern('(^|/)src-main/(?!common/)(?!test-support/)', 'the renderer may import only src-main/common')
  ],
  tooling: [noElectron, noRendererCode('code outside the renderer build')]
}

/** Static imports through the import rule; `import()` and `require()` (which it does not see) by their syntax. */
const restrict = (patterns) => {
  const dynamic = patterns.filter((rule) => !rule.allowTypeImports)
  const literal = (rule) => `/${rule.regex.replaceAll('/', '\\/')}/`
  return {
    '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
    'no-restricted-syntax': [
      'error',
      ...dynamic.map((rule) => ({ selector: `ImportExpression[source.value=${literal(rule)}]`, message: rule.message })),
      ...dynamic.map((rule) => ({ selector: `CallExpression[callee.name='require'] > Literal.arguments[value=${literal(rule)}]`, message: rule.message }))
    ]
  }
}

/** One block for a layer's product files and one for its tests (which may also use test support). */
function layer(files, patterns, { vitest = true } = {}) {
  const testsOf = files.map((glob) => glob.replace(/\*\*$/, '**/*.test.ts'))
  const testAllowed = patterns.map((rule) =>
    vitest && rule.regex.startsWith('^(?!\\.)') ? { ...rule, regex: rule.regex.replace('^(?!\\.)', '^(?!\\.)(?!vitest(/|$))') } : rule
  )
  return [
    { files, rules: restrict([...patterns, ...productOnly]) },
    { files: testsOf, rules: restrict(testAllowed) }
  ]
}

const names = (record) => new Set(Object.keys(record))
const nodeNames = names(globals.node)
const browserNames = names(globals.browser)
const nodeOnlyGlobals = [...nodeNames].filter((name) => !browserNames.has(name))
const browserOnlyGlobals = [...browserNames].filter((name) => !nodeNames.has(name))
const restrictGlobals = (list, host) => list.map((name) => ({ name, message: `${name} exists only in ${host}` }))

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'e2e/output/**', 'bench/results/**', '**/*.d.ts', 'eslint-fixtures/**'] },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] }, globals: globals.browser }
  },
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // The app keeps collections in `$state.raw` and replaces them whole (never mutates them), which
      // this rule cannot tell from mutating a plain Set or Map.
      'svelte/prefer-svelte-reactivity': 'off',
      // `{' · '}` keeps the spaces Svelte would trim at the edge of a block.
      'svelte/no-useless-mustaches': 'off'
    }
  },
  ...layer(['src-main/common/**'], LAYERS.common),
  ...layer(['src-main/node/**'], LAYERS.node),
  ...layer(['src-main/electron-main/**'], LAYERS.electronMain),
  ...layer(['src-main/preload/**'], LAYERS.preload),
  ...layer(['src-renderer/**'], LAYERS.renderer),
  { files: ['src-main/test-support/**', 'sim/**', 'e2e/**', '*.ts', 'bin/**'], rules: restrict(LAYERS.tooling) },
  // Benchmarks may measure the renderer's pure code too.
  { files: ['bench/**'], rules: restrict([noElectron]) },
  {
    files: ['src-main/common/**'],
    rules: {
      'no-restricted-globals': ['error', ...restrictGlobals(nodeOnlyGlobals, 'Node'), ...restrictGlobals(browserOnlyGlobals, 'the browser')]
    }
  },
  { files: ['src-renderer/**'], rules: { 'no-restricted-globals': ['error', ...restrictGlobals(nodeOnlyGlobals, 'Node')] } }
)
