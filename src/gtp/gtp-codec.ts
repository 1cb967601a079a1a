import { GtpProtocolError } from './errors.js'

/**
 * GTP version 2 as text, with no I/O: a command is one line, a response is a header
 * ('=' success or '?' failure, then the command's id if it had one) and content,
 * ended by an empty line. See https://www.lysator.liu.se/~gunnar/gtp/ (GTP 2 draft 2).
 */

/** One argument: GTP sends everything as text, numbers in their usual decimal form. */
export type GtpArg = string | number

/** A command to send. */
export interface GtpCommand {
  /** Optional numeric id the engine echoes in its response. */
  readonly id?: number
  /** Command name, e.g. 'play'. */
  readonly name: string
  readonly args?: readonly GtpArg[]
}

/** A parsed response. */
export interface GtpResponse {
  /** The id echoed by the engine, when the response carried one. */
  readonly id?: number
  /** true for '=', false for '?'. */
  readonly ok: boolean
  /** Everything after the header, lines joined by '\n'; the error message when `ok` is false. */
  readonly content: string
}

// '#' starts a comment in GTP and whitespace separates tokens: neither may hide inside a token.
const token = /^[^\s#\x00-\x1f\x7f]+$/

/** The command as one GTP line, newline included; throws GtpProtocolError for a name or argument GTP cannot carry. */
export function commandToString (command: GtpCommand): string {
  const { id, name, args = [] } = command
  if (id != null && !(Number.isSafeInteger(id) && id >= 0)) {
    throw new GtpProtocolError('a GTP id must be a non-negative integer', String(id))
  }
  if (!token.test(name)) throw new GtpProtocolError('not a GTP command name', name)
  const parts = id == null ? [name] : [String(id), name]
  for (const arg of args) {
    if (typeof arg === 'number') {
      if (!Number.isFinite(arg)) throw new GtpProtocolError(`not a finite number for "${name}"`, String(arg))
      parts.push(String(arg))
    } else {
      if (!token.test(arg)) throw new GtpProtocolError(`not a single GTP token for "${name}"`, arg)
      parts.push(arg)
    }
  }
  return parts.join(' ') + '\n'
}

const header = /^([=?])(\d*)(?: (.*))?$/

/**
 * Longest response read, in characters: far above any real answer (a 25x25 `showboard` is ~2 KB,
 * `printsgf` of a long game ~50 KB), so an engine that writes without end is stopped, not buffered.
 */
export const MAX_RESPONSE_CHARS = 1024 * 1024

/** The refusal of a response (or an unfinished one) longer than MAX_RESPONSE_CHARS. */
export function tooLong (text: string): GtpProtocolError {
  return new GtpProtocolError(`a GTP response of more than ${MAX_RESPONSE_CHARS} characters`, text.slice(0, 200))
}

/**
 * Parses one complete response: a header line, any further non-empty lines, and the empty line
 * that ends it. Carriage returns are dropped first (engines on Windows send CRLF).
 * Throws GtpProtocolError for anything else, never returning a half-parsed response.
 */
export function parseResponse (text: string): GtpResponse {
  if (text.length > MAX_RESPONSE_CHARS) throw tooLong(text)
  const clean = text.replaceAll('\r', '')
  if (!clean.endsWith('\n\n')) throw new GtpProtocolError('a GTP response must end with an empty line', text)
  const lines = clean.slice(0, -2).split('\n')
  if (lines.some(line => line === '')) throw new GtpProtocolError('a GTP response may not contain an empty line', text)
  const m = header.exec(lines[0])
  if (m == null) throw new GtpProtocolError("a GTP response must start with '=' or '?' and an optional numeric id", text)
  let id: number | undefined
  if (m[2] !== '') {
    id = Number(m[2])
    if (!Number.isSafeInteger(id)) throw new GtpProtocolError('GTP response id out of range', text)
  }
  const content = [m[3] ?? '', ...lines.slice(1)].join('\n')
  return id == null ? { ok: m[1] === '=', content } : { id, ok: m[1] === '=', content }
}

/**
 * Cuts the first complete response off the front of a stream buffer.
 * Returns [response, rest], or undefined while the response is still arriving.
 * Blank lines before a response are skipped: some engines emit an extra one.
 */
export function splitResponse (buffer: string): [string, string] | undefined {
  const clean = buffer.replaceAll('\r', '').replace(/^\n+/, '')
  const end = clean.indexOf('\n\n')
  if (end < 0) return undefined
  return [clean.slice(0, end + 2), clean.slice(end + 2)]
}

/** A command as an engine receives it: the id (when given), the name and the arguments as text. */
export interface GtpRequest {
  readonly id?: number
  readonly name: string
  readonly args: readonly string[]
}

/**
 * One line from a controller as a command, the engine side of GTP 2's rules: control characters
 * other than tab dropped, everything after '#' dropped, tabs as spaces; undefined for a line that
 * is then empty (the engine answers nothing). A leading number is the command's id.
 */
export function parseCommandLine (line: string): GtpRequest | undefined {
  // eslint-disable-next-line no-control-regex
  const clean = line.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '').replace(/#.*$/, '').replaceAll('\t', ' ')
  const tokens = clean.split(' ').filter(t => t !== '')
  if (tokens.length === 0) return undefined
  let id: number | undefined
  if (/^\d+$/.test(tokens[0])) {
    id = Number(tokens.shift())
    if (!Number.isSafeInteger(id)) id = undefined
  }
  // An id alone is not a command: an empty name, which no engine knows.
  const name = tokens.shift() ?? ''
  return id == null ? { name, args: tokens } : { id, name, args: tokens }
}

/**
 * An engine's answer as GTP text: '=' or '?', the id when the command had one, the content, and
 * the empty line that ends every response. Empty lines inside the content are dropped (they would
 * end the response early); a content starting with a newline (a board) starts below the header.
 */
export function responseToString (response: GtpResponse): string {
  const head = `${response.ok ? '=' : '?'}${response.id ?? ''}`
  const [first, ...rest] = response.content.replaceAll('\r', '').split('\n')
  const lines = [first, ...rest.filter(l => l.trim() !== '')]
  // A board drawing starts on its own line, as GNU Go's does: the header line is then '= ' alone.
  return `${head} ${lines.join('\n').trimEnd()}\n\n`
}
