// The sim's notion of a token: a word with its leading whitespace, or one punctuation mark. It is
// not a real tokenizer; it only has to be deterministic, cheap, and lossless (tokens concatenate
// back to the text) so streamed deltas rebuild exactly the scripted text.
const TOKEN = /\s*[\p{L}\p{N}_]+|\s*[^\s\p{L}\p{N}_]|\s+/gu

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? []
}

/** Groups tokens into deltas of `tokensPerDelta` tokens each; the last may be shorter. */
export function chunkTokens(tokens: readonly string[], tokensPerDelta: number): Array<{ text: string; tokens: number }> {
  const chunks: Array<{ text: string; tokens: number }> = []
  for (let start = 0; start < tokens.length; start += tokensPerDelta) {
    const slice = tokens.slice(start, start + tokensPerDelta)
    chunks.push({ text: slice.join(''), tokens: slice.length })
  }
  return chunks
}

/** Rough input-token estimate (4 characters per token), as clients commonly budget. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}

const FILLER_WORDS = [
  'the', 'socket', 'stays', 'open', 'while', 'each', 'turn', 'streams', 'new', 'tokens', 'from', 'a', 'scripted',
  'model', 'and', 'every', 'delta', 'carries', 'its', 'own', 'sequence', 'number', 'so', 'clients', 'can', 'check',
  'ordering', 'under', 'load'
]

/** Deterministic prose of exactly `tokenCount` tokens (sentences end with a period token). */
export function fillerText(tokenCount: number): string {
  const parts: string[] = []
  let produced = 0
  let word = 0
  let sentenceLength = 0
  while (produced < tokenCount) {
    const remaining = tokenCount - produced
    if (sentenceLength >= 11 && remaining >= 1) {
      parts.push('.')
      produced++
      sentenceLength = 0
      continue
    }
    const next = FILLER_WORDS[word % FILLER_WORDS.length] as string
    word++
    const capitalized = sentenceLength === 0 ? next.charAt(0).toUpperCase() + next.slice(1) : next
    parts.push(parts.length === 0 ? capitalized : ` ${capitalized}`)
    produced++
    sentenceLength++
  }
  return parts.join('')
}
