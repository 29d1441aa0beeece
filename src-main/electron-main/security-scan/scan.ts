// A static Electron security scan in the spirit of Electronegativity, run as a test over our
// sources and over the built bundles: dangerous webPreferences, missing navigation, window and
// permission handlers, certificate bypasses, file:// loading, a raw ipcRenderer on the bridge,
// unchecked openExternal, dangerous command-line switches, and the CSP of every page.
import ts from 'typescript'

export type Severity = 'high' | 'medium'

export interface Finding {
  rule: string
  severity: Severity
  file: string
  line: number
  message: string
}

export interface ScanFile {
  file: string
  source: string
}

const MUST_BE_FALSE = ['nodeIntegration', 'nodeIntegrationInSubFrames', 'nodeIntegrationInWorker', 'allowRunningInsecureContent', 'experimentalFeatures', 'webviewTag']
const MUST_BE_TRUE = ['contextIsolation', 'sandbox', 'webSecurity']
const DANGEROUS_SWITCHES = ['disable-web-security', 'no-sandbox', 'ignore-certificate-errors', 'remote-debugging-port', 'allow-running-insecure-content', 'disable-site-isolation-trials', 'js-flags']

function propertyName(node: ts.ObjectLiteralElementLike): string | null {
  if (!ts.isPropertyAssignment(node) && !ts.isShorthandPropertyAssignment(node)) return null
  const name = node.name
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : null
}

function literalValue(node: ts.Expression): boolean | 'other' {
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false
  // Minifiers write !0 and !1.
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken && ts.isNumericLiteral(node.operand)) return node.operand.text === '0'
  return 'other'
}

function calleeName(node: ts.CallExpression): string | null {
  const callee = node.expression
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text
  if (ts.isIdentifier(callee)) return callee.text
  return null
}

function firstStringArgument(node: ts.CallExpression): string | null {
  const first = node.arguments[0]
  return first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) ? first.text : null
}

function enclosingFunction(node: ts.Node): ts.Node | null {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return current
  }
  return null
}

function mentions(node: ts.Node, name: string): boolean {
  let found = false
  const visit = (child: ts.Node): void => {
    if (found) return
    if (ts.isIdentifier(child) && child.text === name) found = true
    else ts.forEachChild(child, visit)
  }
  visit(node)
  return found
}

/** Findings in one main-process or preload file, plus the facts the whole-app checks need. */
function scanCode(file: ScanFile, facts: Set<string>): Finding[] {
  const kind = /\.(c|m)?js$/.test(file.file) ? ts.ScriptKind.JS : ts.ScriptKind.TS
  const source = ts.createSourceFile(file.file, file.source, ts.ScriptTarget.Latest, true, kind)
  const findings: Finding[] = []
  const add = (node: ts.Node, rule: string, severity: Severity, message: string): void => {
    findings.push({ rule, severity, file: file.file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, message })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const names = new Map(node.properties.flatMap((property) => {
        const name = propertyName(property)
        return name ? [[name, property] as const] : []
      }))
      const isPreferences = names.has('contextIsolation') || names.has('preload') || names.has('nodeIntegration')
      for (const [name, property] of names) {
        if (!ts.isPropertyAssignment(property)) continue
        const value = literalValue(property.initializer)
        if (MUST_BE_FALSE.includes(name) && value !== false) add(property, name.toUpperCase(), 'high', `${name} must be false`)
        if (isPreferences && MUST_BE_TRUE.includes(name) && value !== true) add(property, name.toUpperCase(), 'high', `${name} must be true`)
        if (name === 'enableBlinkFeatures') add(property, 'BLINK_FEATURES', 'high', 'enableBlinkFeatures turns on unreviewed features')
        if (name === 'allowpopups') add(property, 'ALLOW_POPUPS', 'high', 'webview popups')
      }
      if (isPreferences) {
        facts.add('webPreferences')
        for (const name of ['contextIsolation', 'sandbox']) {
          if (!names.has(name)) add(node, name.toUpperCase(), 'high', `webPreferences must set ${name}: true explicitly`)
        }
      }
    }
    if (ts.isCallExpression(node)) {
      const name = calleeName(node)
      const first = firstStringArgument(node)
      if (name === 'enableSandbox') facts.add('enableSandbox')
      if (name === 'setPermissionRequestHandler') facts.add('permissionHandler')
      if (name === 'setWindowOpenHandler') facts.add('windowOpenHandler')
      if (name === 'registerSchemesAsPrivileged' || (name === 'handle' && mentions(node.expression, 'protocol'))) facts.add('customProtocol')
      if (name === 'on' && first === 'will-navigate') facts.add('willNavigate')
      if (name === 'on' && first === 'will-attach-webview') facts.add('willAttachWebview')
      if (name === 'on' && first === 'certificate-error') add(node, 'CERTIFICATE_ERROR_EVENT', 'high', 'a certificate-error handler can accept bad certificates')
      if (name === 'setCertificateVerifyProc') add(node, 'CERTIFICATE_VERIFY_PROC', 'high', 'a custom certificate check can accept bad certificates')
      if (name === 'loadFile') add(node, 'FILE_PROTOCOL', 'high', 'pages must load from app://, not file://')
      if (name === 'loadURL' && first !== null && !first.startsWith('app://')) add(node, 'LOAD_URL', 'high', `loads ${first}`)
      if ((name === 'appendSwitch' || name === 'appendArgument') && first && DANGEROUS_SWITCHES.some((bad) => first.includes(bad))) {
        add(node, 'CUSTOM_ARGUMENTS', 'high', `dangerous switch ${first}`)
      }
      if (name === 'openExternal' && ts.isPropertyAccessExpression(node.expression) && mentions(node.expression.expression, 'shell')) {
        const scope = enclosingFunction(node)
        if (!scope || !mentions(scope, 'externalLink')) add(node, 'OPEN_EXTERNAL', 'high', 'openExternal with a URL not checked by externalLink()')
      }
      if (name === 'executeJavaScript') add(node, 'DANGEROUS_FUNCTIONS', 'medium', 'executeJavaScript runs code in the renderer')
      if (name === 'exposeInMainWorld' && node.arguments.slice(1).some((argument) => ts.isIdentifier(argument) && argument.text === 'ipcRenderer')) {
        add(node, 'EXPOSED_IPC_RENDERER', 'high', 'ipcRenderer itself is exposed to the page')
      }
      if ((name === 'send' || name === 'invoke' || name === 'on') && mentions(node.expression, 'ipcRenderer') && first === null && !mentions(node, 'ipcChannelOf') && !mentions(node, 'IPC_EVENT_CHANNEL')) {
        add(node, 'GENERIC_IPC', 'high', 'ipcRenderer used with a channel that is not from the allowlist')
      }
    }
    const exposesIpc =
      (ts.isShorthandPropertyAssignment(node) && node.name.text === 'ipcRenderer') ||
      (ts.isPropertyAssignment(node) &&
        ((ts.isIdentifier(node.initializer) && node.initializer.text === 'ipcRenderer') ||
          (ts.isPropertyAccessExpression(node.initializer) && node.initializer.name.text === 'ipcRenderer')))
    if (exposesIpc) add(node, 'EXPOSED_IPC_RENDERER', 'high', 'ipcRenderer is put on an object')
    ts.forEachChild(node, visit)
  }
  visit(source)
  return findings
}

/** Checks a Content-Security-Policy string. */
export function cspProblems(policy: string): string[] {
  const directives = new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/)
      return [name.toLowerCase(), values] as const
    })
  )
  const scripts = directives.get('script-src') ?? directives.get('default-src')
  const problems: string[] = []
  if (!scripts) problems.push('no script-src or default-src')
  else {
    if (scripts.includes("'unsafe-eval'")) problems.push("script-src allows 'unsafe-eval'")
    if (scripts.includes("'unsafe-inline'")) problems.push("script-src allows 'unsafe-inline'")
    if (scripts.some((value) => value === '*' || value.startsWith('http:') || value.startsWith('https:') || value === 'data:')) problems.push('script-src allows remote or data: scripts')
  }
  if (!directives.has('object-src') && !(directives.get('default-src') ?? []).includes("'none'")) problems.push('no object-src restriction')
  return problems
}

function scanHtml(file: ScanFile): Finding[] {
  const meta = /<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=(["'])(.*?)\1/i.exec(file.source)
  if (!meta?.[2]) return [{ rule: 'CSP', severity: 'high', file: file.file, line: 1, message: 'no Content-Security-Policy meta tag' }]
  return cspProblems(meta[2]).map((message) => ({ rule: 'CSP', severity: 'high' as const, file: file.file, line: 1, message }))
}

/** Scans the main-process and preload files and the renderer's HTML as one app. */
export function scanElectronApp(code: ScanFile[], html: ScanFile[], headerPolicy: string | null): Finding[] {
  const facts = new Set<string>()
  const findings = [...code.flatMap((file) => scanCode(file, facts)), ...html.flatMap(scanHtml)]
  const app = code[0]?.file ?? 'app'
  const missing: [string, string, string][] = [
    ['webPreferences', 'WEB_PREFERENCES', 'no BrowserWindow webPreferences found'],
    ['enableSandbox', 'SANDBOX_GLOBAL', 'app.enableSandbox() is never called'],
    ['permissionHandler', 'PERMISSION_REQUEST_HANDLER', 'no permission request handler: Electron grants every permission by default'],
    ['willNavigate', 'LIMIT_NAVIGATION', "no 'will-navigate' handler"],
    ['windowOpenHandler', 'LIMIT_NAVIGATION', 'no setWindowOpenHandler'],
    ['willAttachWebview', 'WEBVIEW_ATTACH', "no 'will-attach-webview' handler"],
    ['customProtocol', 'CUSTOM_PROTOCOL', 'pages are not served from a custom protocol']
  ]
  for (const [fact, rule, message] of missing) {
    if (!facts.has(fact)) findings.push({ rule, severity: 'high', file: app, line: 0, message })
  }
  if (headerPolicy === null) findings.push({ rule: 'CSP', severity: 'high', file: app, line: 0, message: 'responses carry no Content-Security-Policy header' })
  else findings.push(...cspProblems(headerPolicy).map((message) => ({ rule: 'CSP', severity: 'high' as const, file: app, line: 0, message })))
  return findings
}

export function formatFinding(finding: Finding): string {
  return `${finding.severity} ${finding.rule} ${finding.file}:${finding.line}: ${finding.message}`
}
