import { mkdir, readFile, stat } from 'node:fs/promises'
import { homedir as osHomedir } from 'node:os'
import { join, resolve } from 'node:path'
import { writeFileAtomic } from './atomic-write.js'
import { ConfigError, defaultConfig, mergeConfig, validateConfig } from './config.js'
import { CONFIG_FILE, DATASTORE_DIR, DEFAULT_HOME_NAME, HOME_DIR_MODE, HOME_ENV, HOME_FILE_MODE, IDENTITY_FILE } from './constants.js'
import type { ConfigOverrides, P2pgoConfig } from './config.js'

/** Why a home directory cannot be used. */
export type HomeErrorReason = 'empty-path' | 'not-a-directory' | 'no-access'

/** A home directory that cannot be created or read, with the path and what to do. */
export class HomeError extends Error {
  static readonly code = 'ERR_HOME'
  readonly code = HomeError.code
  readonly reason: HomeErrorReason
  readonly path: string

  constructor (reason: HomeErrorReason, path: string, message: string) {
    super(message)
    this.name = 'HomeError'
    this.reason = reason
    this.path = path
  }
}

/** An opened home: where each part lives, and the configuration (defaults, then config.json, then flags). */
export interface Home {
  /** The home directory, absolute. */
  dir: string
  /** config.json: overrides on top of the defaults; may not exist. */
  configPath: string
  /** The LevelDB directory (`openDatastore`). */
  datastorePath: string
  /** The private key file (`loadOrCreateIdentity`). */
  identityPath: string
  /** The merged, validated configuration. */
  config: P2pgoConfig
}

/** What `resolveHome` looks at; the environment and home directory are passed in so tests need no real ones. */
export interface ResolveHomeOptions {
  /** The `--home` flag, if given. */
  flag?: string
  /** The environment (`process.env`); only $P2PGO_HOME is read. */
  env: Readonly<Record<string, string | undefined>>
  /** The user's home directory; default `os.homedir()`. */
  homedir?: () => string
  /** Relative paths are taken from here; default `process.cwd()`. */
  cwd?: string
}

function expandTilde (path: string, homedir: () => string): string {
  // `--home=~/x` and quoted values reach us unexpanded by the shell.
  if (path === '~') return homedir()
  if (path.startsWith('~/')) return join(homedir(), path.slice(2))
  return path
}

/** The home directory, absolute: `--home`, else `$P2PGO_HOME` (ignored when empty, as XDG does), else `~/.p2pgo`. */
export function resolveHome (options: ResolveHomeOptions): string {
  const homedir = options.homedir ?? osHomedir
  const cwd = options.cwd ?? process.cwd()
  if (options.flag != null) {
    // An empty --home is most likely an unset shell variable: guessing ~/.p2pgo could use the wrong identity.
    if (options.flag === '') throw new HomeError('empty-path', '', '--home needs a directory, got an empty string')
    return resolve(cwd, expandTilde(options.flag, homedir))
  }
  const fromEnv = options.env[HOME_ENV]
  if (fromEnv != null && fromEnv !== '') return resolve(cwd, expandTilde(fromEnv, homedir))
  return join(homedir(), DEFAULT_HOME_NAME)
}

/** Deepest nesting the syntax scanner follows: settings files nest two or three levels. */
const MAX_JSON_DEPTH = 256

/** Thrown inside the scanner to unwind to where the error is reported. */
class JsonStop {
  constructor (readonly offset: number, readonly message: string) {}
}

/**
 * The first JSON syntax error in `text`: offset and a plain description. A small scanner, because
 * Node 20's JSON.parse names no position for the commonest mistakes (a missing colon, a stray word).
 */
export function findJsonSyntaxError (text: string): { offset: number, message: string } | undefined {
  let i = 0
  const fail = (message: string): never => { throw new JsonStop(i, message) }
  const unexpected = (expected: string): never =>
    fail(i >= text.length ? `unexpected end of file, expected ${expected}` : `unexpected ${JSON.stringify(text[i])}, expected ${expected}`)
  const space = (): void => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++ }
  const string = (): void => {
    i++
    while (i < text.length) {
      const c = text[i]
      if (c === '"') { i++; return }
      if (c === '\\') {
        i++
        if ('"\\/bfnrt'.includes(text[i] ?? 'x')) i++
        else if (text[i] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) i += 5
        else fail('invalid escape in a string')
        continue
      }
      if (c < ' ') fail('line break or control character inside a string')
      i++
    }
    fail('a string is not closed (missing ")')
  }
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
  const value = (depth: number): void => {
    space()
    const c = text[i]
    if (c === '{' || c === '[') {
      // The scanner recurses: a deep file must get a sentence, not a RangeError from the call stack.
      if (depth >= MAX_JSON_DEPTH) fail(`lists and objects nested more than ${MAX_JSON_DEPTH} levels deep`)
      const close = c === '{' ? '}' : ']'
      i++
      space()
      if (text[i] === close) { i++; return }
      for (;;) {
        space()
        if (c === '{') {
          if (text[i] !== '"') unexpected(text[i] === '}' ? 'a "quoted" key (JSON allows no comma before })' : 'a "quoted" key')
          string()
          space()
          if (text[i] !== ':') unexpected('":"')
          i++
        } else if (text[i] === ']') {
          unexpected('a value (JSON allows no comma before ])')
        }
        value(depth + 1)
        space()
        if (text[i] === ',') { i++; continue }
        if (text[i] === close) { i++; return }
        unexpected(`"," or "${close}"`)
      }
    }
    if (c === '"') { string(); return }
    number.lastIndex = i
    if (number.test(text)) { i = number.lastIndex; return }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) { i += literal.length; return }
    }
    unexpected('a value (a "string", number, true, false, null, [list] or {object})')
  }
  try {
    value(0)
    space()
    if (i < text.length) fail(`unexpected ${JSON.stringify(text[i])} after the end of the JSON value`)
  } catch (err) {
    if (err instanceof JsonStop) return { offset: err.offset, message: err.message }
    throw err
  }
  return undefined
}

function lineAndColumn (text: string, offset: number): string {
  const before = text.slice(0, offset)
  return `line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`
}

/** Reads and validates config.json; a missing file means no overrides. */
export async function readConfigFile (path: string): Promise<ConfigOverrides> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return {}
    if (code === 'EISDIR') throw new ConfigError(path, [{ path: '', message: 'is a directory, not a JSON file' }])
    if (code === 'EACCES' || code === 'EPERM') throw new ConfigError(path, [{ path: '', message: 'cannot be read (permission denied)' }])
    throw new ConfigError(path, [{ path: '', message: `cannot be read (${(err as Error).message})` }])
  }
  // Some editors write a byte-order mark, which JSON.parse rejects.
  const json = text.replace(/^\uFEFF/, '')
  if (json.trim() === '') {
    throw new ConfigError(path, [{ path: '', message: 'is empty: write {} for no overrides, or delete the file' }])
  }
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (err) {
    const found = findJsonSyntaxError(json)
    if (found == null) throw new ConfigError(path, [{ path: '', message: `not valid JSON (${(err as Error).message})` }])
    throw new ConfigError(path, [{ path: lineAndColumn(json, found.offset), message: `not valid JSON: ${found.message}` }])
  }
  return validateConfig(value, path)
}

/** Validates and writes config.json atomically (a crash leaves the old file), two-space indented for hand editing. */
export async function writeConfigFile (path: string, overrides: ConfigOverrides): Promise<void> {
  validateConfig(overrides, path)
  await writeFileAtomic(path, JSON.stringify(overrides, null, 2) + '\n', { mode: HOME_FILE_MODE })
}

/**
 * Opens a home directory, creating it (mode 0700) when missing, and reads its config.json.
 * Touches nothing else: the identity and the datastore are opened by those who need them.
 */
export async function openHome (dir: string, options: { flags?: ConfigOverrides, defaults?: P2pgoConfig } = {}): Promise<Home> {
  const home = resolve(dir)
  try {
    await mkdir(home, { recursive: true, mode: HOME_DIR_MODE })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new HomeError('not-a-directory', home, `${home} is not a directory; choose another home with --home DIR or $${HOME_ENV}`)
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new HomeError('no-access', home, `cannot create the home ${home} (${code}); choose another with --home DIR or $${HOME_ENV}`)
    throw err
  }
  // mkdir with recursive succeeds silently on an existing path, even a file.
  if (!(await stat(home)).isDirectory()) {
    throw new HomeError('not-a-directory', home, `${home} is not a directory; choose another home with --home DIR or $${HOME_ENV}`)
  }
  const configPath = join(home, CONFIG_FILE)
  const fileOverrides = await readConfigFile(configPath)
  const flags = options.flags == null ? {} : validateConfig(options.flags, 'command line')
  return {
    dir: home,
    configPath,
    datastorePath: join(home, DATASTORE_DIR),
    identityPath: join(home, IDENTITY_FILE),
    config: mergeConfig(options.defaults ?? defaultConfig(), fileOverrides, flags)
  }
}
