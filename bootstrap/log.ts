// Structured logs for the bootstrap daemon: one JSON object per line on stderr, so journald,
// `jq` and log shippers read them without a parser. No logging library: a line is a few fields.

/** How bad it is; a daemon's operators filter on this. */
export type LogLevel = 'info' | 'warn' | 'error'

/** Extra fields of a line: JSON values, plus errors and bigints (written in a readable form). */
export type LogFields = Readonly<Record<string, unknown>>

export interface LoggerInit {
  /** Receives each line, ending in '\n'; stderr when unset (tests collect the lines). */
  readonly write?: (line: string) => void
  /** The clock, ms since the epoch (tests). */
  readonly now?: () => number
  /** Fields on every line of this logger (e.g. `{ component: 'relay' }`). */
  readonly fields?: LogFields
}

/** The keys every line has; a field of the same name cannot replace them. */
const RESERVED = new Set(['t', 'level', 'msg'])

/** One log line (without its newline): `{ t, level, msg, ...fields }` as JSON. Pure. */
export function formatLine (time: number, level: LogLevel, msg: string, fields: LogFields = {}): string {
  const line: Record<string, unknown> = { t: new Date(time).toISOString(), level, msg }
  for (const [key, value] of Object.entries(fields)) {
    if (!RESERVED.has(key) && value !== undefined) line[key] = value
  }
  try {
    return JSON.stringify(line, replacer)
  } catch {
    // A circular structure: a line that says what it could rather than no line at all.
    const flat: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(line)) flat[key] = typeof value === 'object' && value !== null ? String(value) : value
    return JSON.stringify(flat, replacer)
  }
}

/** Errors lose their fields in plain JSON (`{}`); bigints make JSON.stringify throw. */
function replacer (_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code
    return { name: value.name, message: value.message, ...(code != null ? { code } : {}) }
  }
  return value
}

/** A logger writing structured lines; `child()` adds fixed fields. */
export class Logger {
  private readonly write: (line: string) => void
  private readonly now: () => number
  private readonly fields: LogFields

  constructor (init: LoggerInit = {}) {
    this.write = init.write ?? (line => { process.stderr.write(line) })
    this.now = init.now ?? Date.now
    this.fields = init.fields ?? {}
  }

  /** Routine events: started, listening, a peer reserved a slot. */
  info (msg: string, fields?: LogFields): void { this.log('info', msg, fields) }

  /** Something refused or degraded that the daemon handles by itself. */
  warn (msg: string, fields?: LogFields): void { this.log('warn', msg, fields) }

  /** A failure an operator should look at. */
  error (msg: string, fields?: LogFields): void { this.log('error', msg, fields) }

  /** A logger whose every line also carries `fields` (a line's own fields win). */
  child (fields: LogFields): Logger {
    return new Logger({ write: this.write, now: this.now, fields: { ...this.fields, ...fields } })
  }

  private log (level: LogLevel, msg: string, fields?: LogFields): void {
    const line = formatLine(this.now(), level, msg, fields == null ? this.fields : { ...this.fields, ...fields })
    try {
      this.write(line + '\n')
    } catch {
      // A closed stderr must not take the daemon down with it.
    }
  }
}
