// What the terminal can do and how its keys are named: the one place the client decides between
// Unicode and ASCII, and turns blessed's key reports into the names keys.ts binds. Pure.

/** Whether to draw in plain ASCII: asked for, or the locale does not say UTF-8 (a terminal without Unicode). */
export function wantsAscii (flag: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (flag) return true
  const locale = env.LC_ALL ?? env.LC_CTYPE ?? env.LANG ?? ''
  return !/utf-?8/i.test(locale)
}

/** A key as blessed reports it (the parts the client reads). */
export interface KeyReport {
  readonly name?: string
  readonly full?: string
  readonly ctrl?: boolean
}

const NAMED = new Set(['up', 'down', 'left', 'right', 'escape', 'space', 'backspace', 'tab', 'delete', 'pageup', 'pagedown', 'home', 'end'])

/**
 * The key's name as keys.ts binds it: named keys by name ('up', 'enter', 'escape'), control
 * chords as 'C-c', printable characters as themselves ('q', 'R', '?', ':').
 */
export function keyName (ch: string | undefined, key: KeyReport): string {
  // blessed reports Enter twice: as 'enter' and as 'return'. Only the first counts.
  if (key.name === 'enter') return 'enter'
  if (key.name === 'return' || key.name === 'linefeed') return ''
  if (key.name != null && NAMED.has(key.name)) return key.name
  if (key.ctrl === true && key.full != null) return key.full
  if (ch != null && ch.length === 1 && ch >= ' ') return ch === ' ' ? 'space' : ch
  return key.full ?? key.name ?? ''
}
