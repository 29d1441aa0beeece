import { describe, expect, test } from 'vitest'
import { shellEnvironment } from './shell-env'

describe('shellEnvironment', () => {
  test('passes a short allowlist and never secrets from the app environment', () => {
    const env = shellEnvironment(
      { PATH: '/usr/bin:/bin', HOME: '/home/p', LANG: 'C.UTF-8', LC_TIME: 'de_DE.UTF-8', OPENAI_API_KEY: 'sk-secret', AWS_SECRET_ACCESS_KEY: 'x', SSH_AUTH_SOCK: '/tmp/agent' },
      { tmpDir: '/tmp', cacheDir: '/tmp/.cache', proxyUrl: null }
    )
    expect(env).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/p',
      LANG: 'C.UTF-8',
      LC_TIME: 'de_DE.UTF-8',
      TERM: 'xterm-256color',
      SHELL: '/bin/bash',
      TMPDIR: '/tmp',
      PAGER: 'cat',
      GIT_PAGER: 'cat',
      GIT_TERMINAL_PROMPT: '0',
      TETHER: '1',
      XDG_CACHE_HOME: '/tmp/.cache',
      npm_config_cache: '/tmp/.cache/npm'
    })
  })

  test('points every proxy variable at the allowlist proxy', () => {
    const env = shellEnvironment({}, { tmpDir: '/tmp', cacheDir: null, proxyUrl: 'http://127.0.0.1:3128' })
    expect([env.HTTP_PROXY, env.https_proxy, env.ALL_PROXY, env.NO_PROXY, env.PATH]).toEqual([
      'http://127.0.0.1:3128',
      'http://127.0.0.1:3128',
      'http://127.0.0.1:3128',
      '',
      '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    ])
  })
})
