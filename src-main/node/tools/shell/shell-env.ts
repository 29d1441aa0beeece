// The environment a shell starts with: a short allowlist from the host (never API keys or other
// secrets that happen to be in Tether's own environment), plus settings that keep a terminal
// without a person from waiting for one (pagers, credential prompts).
const PASSED_THROUGH = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ']
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

export interface ShellEnvironmentOptions {
  tmpDir: string
  /** `http://127.0.0.1:PORT` when the network goes through the allowlist proxy. */
  proxyUrl: string | null
  /** Inside the sandbox the home directory is throwaway: caches go to the run's temp dir instead. */
  cacheDir: string | null
}

export function shellEnvironment(host: NodeJS.ProcessEnv, options: ShellEnvironmentOptions): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(host)) {
    if (value !== undefined && (PASSED_THROUGH.includes(name) || name.startsWith('LC_'))) env[name] = value
  }
  env.PATH ??= DEFAULT_PATH
  Object.assign(env, {
    TERM: 'xterm-256color',
    SHELL: '/bin/bash',
    TMPDIR: options.tmpDir,
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    TETHER: '1'
  })
  if (options.cacheDir !== null) {
    env.XDG_CACHE_HOME = options.cacheDir
    env.npm_config_cache = `${options.cacheDir}/npm`
  }
  if (options.proxyUrl !== null) {
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy']) env[name] = options.proxyUrl
    env.NO_PROXY = ''
    env.no_proxy = ''
  }
  return env
}
