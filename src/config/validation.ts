// The one way settings files are checked: config.json (src/config/config.ts) and the bootstrap
// daemon's bootstrap.json (bootstrap/daemon-config.ts, with its relay limits). A check is a
// function that adds every problem it finds to a list, so a file with three mistakes is refused
// once, with three lines, not three times; the sentences come from problem-text.ts. Pure.
import { describeValue, fieldPath, isPlainObject, unknownSetting } from './problem-text.js'

/** One thing wrong with a settings file: where (e.g. `listen[1]`, `dht.clientMode`) and what. */
export interface ConfigProblem {
  /** The field path, or '' for the whole document. */
  readonly path: string
  /** A plain sentence. */
  readonly message: string
}

/** A settings file that cannot be used; the message has one line per problem: `source: path: message`. */
export class ConfigError extends Error {
  static readonly code = 'ERR_CONFIG'
  readonly code = ConfigError.code
  /** Where the settings came from, e.g. the file's path or 'command line'. */
  readonly source: string
  readonly problems: readonly ConfigProblem[]

  constructor (source: string, problems: readonly ConfigProblem[]) {
    super(problems.map(p => p.path === '' ? `${source}: ${p.message}` : `${source}: ${p.path}: ${p.message}`).join('\n'))
    this.name = 'ConfigError'
    this.source = source
    this.problems = problems
  }
}

/** Adds the problems of `value`, found at `path`, to `problems`. */
export type Check = (value: unknown, path: string, problems: ConfigProblem[]) => void

/** Runs `check` on a whole document and returns it typed, or throws `ConfigError` listing every problem. */
export function validate<T> (check: Check, value: unknown, source: string): T {
  const problems: ConfigProblem[] = []
  check(value, '', problems)
  if (problems.length > 0) throw new ConfigError(source, problems)
  return value as T
}

/**
 * A JSON object of known settings; an unknown key is a problem (a typo must not look like a
 * setting that took effect). `undefined` cannot come from JSON: in flag overrides it means "not
 * given" and is skipped. Problems come in the document's order, or with `unknownFirst` the
 * unknown keys first and then the settings in the order `fields` lists them.
 */
export function object (fields: Record<string, Check>, what: string, options: { readonly unknownFirst?: boolean } = {}): Check {
  const known = Object.keys(fields)
  return (value, path, problems) => {
    if (!isPlainObject(value)) {
      problems.push({ path, message: `expected ${what}, got ${describeValue(value)}` })
      return
    }
    const unknown = (key: string): void => { problems.push({ path: fieldPath(path, key), message: unknownSetting(key, known) }) }
    const field = (key: string): void => {
      const check = fields[key]
      if (value[key] !== undefined) check(value[key], fieldPath(path, key), problems)
    }
    if (options.unknownFirst === true) {
      for (const key of Object.keys(value)) if (!Object.hasOwn(fields, key)) unknown(key)
      for (const key of known) if (Object.hasOwn(value, key)) field(key)
      return
    }
    for (const key of Object.keys(value)) {
      if (Object.hasOwn(fields, key)) field(key)
      else unknown(key)
    }
  }
}

/** A list whose every item passes `item`; a single string where a list belongs is shown how to write it. */
export function list (item: Check, what: string): Check {
  return (value, path, problems) => {
    if (!Array.isArray(value)) {
      const got = typeof value === 'string' ? `a single string; write [${JSON.stringify(value)}]` : describeValue(value)
      problems.push({ path, message: `expected a list of ${what}, got ${got}` })
      return
    }
    value.forEach((v, i) => { item(v, `${path}[${i}]`, problems) })
  }
}

/** true or false. */
export const boolean: Check = (value, path, problems) => {
  if (typeof value !== 'boolean') problems.push({ path, message: `expected true or false, got ${describeValue(value)}` })
}

/** One of a few strings. */
export function oneOf (choices: readonly string[]): Check {
  return (value, path, problems) => {
    if (typeof value !== 'string' || !choices.includes(value)) {
      problems.push({ path, message: `expected one of ${choices.map(c => `"${c}"`).join(', ')}, got ${describeValue(value)}` })
    }
  }
}

/** The sentence for a value that is not a whole number from `min` to `max`, or undefined when it is one; `note` is said in brackets. */
export function wholeNumberProblem (value: unknown, min: number, max: number, note?: string): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return `must be a whole number from ${min} to ${max}${note != null ? ` (${note})` : ''}, got ${describeValue(value)}`
  }
  return undefined
}

/** A whole number from `min` to `max`; `note` (a unit, what 0 means) is said in brackets. */
export function wholeNumber (min: number, max: number, note?: string): Check {
  return (value, path, problems) => {
    const message = wholeNumberProblem(value, min, max, note)
    if (message != null) problems.push({ path, message })
  }
}
