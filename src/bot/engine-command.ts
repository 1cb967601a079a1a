/** Thrown for an engine command line that cannot be split (an unclosed quote, nothing at all). */
export class EngineCommandError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'EngineCommandError'
  }
}

/**
 * Splits an engine command line the way a shell would for simple cases: words separated by
 * spaces, single or double quotes keep spaces, a backslash escapes the next character.
 * No variables, globs or pipes: the engine is started directly, never through a shell.
 */
export function splitCommand (line: string): { command: string, args: string[] } {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: '"' | "'" | undefined
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (quote != null) {
      if (ch === quote) quote = undefined
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) word += line[++i]
      else word += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      inWord = true
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i]
      inWord = true
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += ch
      inWord = true
    }
  }
  if (quote != null) throw new EngineCommandError(`unclosed ${quote} in the engine command`)
  if (inWord) words.push(word)
  const [command, ...args] = words
  if (command == null) throw new EngineCommandError('the engine command is empty')
  return { command, args }
}
