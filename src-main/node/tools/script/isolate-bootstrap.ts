// Source evaluated inside every fresh isolate before the model's code: console and the `tether`
// API on top of the host callbacks (which take and return copies only), and the entry point the
// runner calls. Everything here runs inside the isolate, so nothing in it is trusted by the host.

export const BOOTSTRAP_SOURCE = String.raw`
(() => {
  const hostLog = globalThis.__tether_log
  const hostRead = globalThis.__tether_read
  const hostList = globalThis.__tether_list
  const hostSearch = globalThis.__tether_search
  delete globalThis.__tether_log
  delete globalThis.__tether_read
  delete globalThis.__tether_list
  delete globalThis.__tether_search
  const evaluate = eval
  const stringify = JSON.stringify

  const describe = (value) => {
    if (typeof value === 'string') return value
    if (value instanceof Error) return value.stack || String(value)
    try {
      const text = serialize(value)
      return text === undefined ? String(value) : text
    } catch {
      return String(value)
    }
  }

  const serialize = (value) => {
    const seen = new WeakSet()
    return stringify(value, (key, item) => {
      if (typeof item === 'bigint') return item.toString() + 'n'
      if (typeof item === 'function') return '[Function ' + (item.name || 'anonymous') + ']'
      if (typeof item === 'symbol') return item.toString()
      if (item instanceof Error) return { name: item.name, message: item.message, stack: item.stack }
      if (item instanceof Map) return Object.fromEntries(item)
      if (item instanceof Set) return [...item]
      if (item !== null && typeof item === 'object') {
        if (seen.has(item)) return '[Circular]'
        seen.add(item)
      }
      return item
    })
  }

  // Once the host says its log buffer is full, count locally instead of calling it for every line.
  let logsFull = false
  let droppedLogChars = 0
  const log = (level) => (...args) => {
    const text = args.map(describe).join(' ')
    if (logsFull) droppedLogChars += text.length
    else logsFull = !hostLog(level, text)
  }
  globalThis.console = { log: log('log'), info: log('log'), debug: log('log'), warn: log('error'), error: log('error') }

  const unwrap = (answer) => {
    if (answer.error !== undefined) throw new Error(answer.error)
    return answer.value
  }
  globalThis.tether = Object.freeze({
    readFile: (path) => unwrap(hostRead(String(path))),
    listDir: (path) => unwrap(hostList(String(path === undefined ? '.' : path))),
    search: (pattern, path) => unwrap(hostSearch(String(pattern), path === undefined || path === null ? null : String(path)))
  })

  const run = (code) => {
    try {
      return evaluate(code)
    } catch (error) {
      // Top-level await or return: run the code as the body of an async function.
      if (error instanceof SyntaxError && /await|return/.test(error.message)) return evaluate('(async () => {\n' + code + '\n})()')
      throw error
    }
  }

  globalThis.__tether_run = async (code, resultChars) => {
    try {
      let value = run(code)
      if (value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function') value = await value
      const text = value === undefined ? 'null' : serialize(value)
      const json = text === undefined ? stringify(String(value)) : text
      if (json.length <= resultChars) return { kind: 'returned', result: json, resultChars: json.length, truncated: false, droppedLogChars }
      return { kind: 'returned', result: json.slice(0, resultChars), resultChars: json.length, truncated: true, droppedLogChars }
    } catch (error) {
      return { kind: 'threw', error: error instanceof Error ? (error.stack || String(error)) : describe(error), droppedLogChars }
    }
  }
})()
`
