import { describe, expect, it } from 'vitest'
import { resolveProvider, websocketUrl } from './provider'

describe('resolveProvider', () => {
  it('defaults to OpenAI with OPENAI_API_KEY', () => {
    expect(resolveProvider({}, { OPENAI_API_KEY: 'k1' })).toEqual({ name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'k1' })
  })

  it('takes xAI with XAI_API_KEY', () => {
    expect(resolveProvider({ provider: 'xai' }, { XAI_API_KEY: 'k2' })).toEqual({ name: 'xai', baseUrl: 'https://api.x.ai/v1', apiKey: 'k2' })
  })

  it('takes any base URL with TETHER_API_KEY', () => {
    expect(resolveProvider({ baseUrl: 'http://127.0.0.1:9/v1/' }, { TETHER_API_KEY: 'k3' })).toEqual({
      name: 'custom',
      baseUrl: 'http://127.0.0.1:9/v1',
      apiKey: 'k3'
    })
  })

  it('names the missing variable', () => {
    expect(() => resolveProvider({ provider: 'xai' }, {})).toThrow('no API key: set XAI_API_KEY')
  })
})

describe('websocketUrl', () => {
  it('maps http(s) base URLs to ws(s)://…/responses', () => {
    expect([websocketUrl('https://api.openai.com/v1'), websocketUrl('http://127.0.0.1:4000/v1/')]).toEqual([
      'wss://api.openai.com/v1/responses',
      'ws://127.0.0.1:4000/v1/responses'
    ])
  })
})
