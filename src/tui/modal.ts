// The terminal client's dialogs (confirm, a line of text, a choice, a page of text): what each
// shows, which keys it takes, and the hint line while it is open. Pure: the app draws the lines
// over the body and hands the keys here while a dialog is open.

/** An open dialog; `input` and `choose` are changed in place as keys arrive. */
export type Modal =
  | { readonly kind: 'confirm', readonly text: string, readonly yes: () => void, readonly no?: () => void }
  | { readonly kind: 'input', readonly label: string, value: string, readonly done: (text: string) => void }
  | { readonly kind: 'choose', readonly title: string, readonly items: readonly string[], selected: number, readonly done: (i: number) => void }
  | { readonly kind: 'text', readonly title: string, readonly lines: readonly string[] }

/** The key hint while `m` is open. */
export function modalHint (m: Modal): string {
  switch (m.kind) {
    case 'confirm': return ' y yes · n no'
    case 'input': return ' Enter done · Esc cancel'
    case 'choose': return ' ↑↓ choose · Enter take · Esc cancel'
    case 'text': return ' Esc close'
  }
}

/** The dialog's lines, in blessed tags, with `esc` escaping text that is not a tag. */
export function modalLines (m: Modal, esc: (t: string) => string): string[] {
  switch (m.kind) {
    case 'confirm': return [esc(m.text), '', 'y: yes   n: no']
    case 'input': return [esc(m.label), '', `> ${esc(m.value)}_`]
    case 'choose': return [`{bold}${esc(m.title)}{/bold}`, '', ...m.items.map((item, i) => i === m.selected ? `{inverse}> ${esc(item)}{/inverse}` : `  ${esc(item)}`)]
    case 'text': return [`{bold}${esc(m.title)}{/bold}`, '', ...m.lines.map(esc)]
  }
}

/** Applies a key to the open dialog `m`; `close` closes it (before its callback runs). */
export function modalKey (m: Modal, name: string, ch: string | undefined, close: () => void): void {
  switch (m.kind) {
    case 'confirm':
      if (name === 'y' || name === 'Y') { close(); m.yes() } else if (name === 'n' || name === 'N' || name === 'escape' || name === 'q') { close(); m.no?.() }
      return
    case 'input':
      if (name === 'enter') { close(); m.done(m.value) } else if (name === 'escape') close()
      else if (name === 'backspace') m.value = [...m.value].slice(0, -1).join('')
      else if (name === 'space') m.value += ' '
      else if (ch != null && ch.length === 1 && ch >= ' ' && [...m.value].length < 200) m.value += ch
      return
    case 'choose':
      if (name === 'up' || name === 'k') m.selected = Math.max(0, m.selected - 1)
      else if (name === 'down' || name === 'j') m.selected = Math.min(m.items.length - 1, m.selected + 1)
      else if (name === 'enter') { close(); m.done(m.selected) } else if (name === 'escape' || name === 'q') close()
      else if (/^[1-9]$/.test(name) && Number(name) <= m.items.length) { close(); m.done(Number(name) - 1) }
      return
    case 'text':
      if (name === 'escape' || name === 'enter' || name === 'q' || name === '?' || name === 'b') close()
  }
}

/** A line cut into lines of at most `width` columns at spaces (a word longer than that is cut). */
export function wrap (line: string, width: number): string[] {
  if (line.length <= width) return [line]
  const out: string[] = []
  let rest = line
  while (rest.length > width) {
    const at = rest.lastIndexOf(' ', width)
    const cut = at > 0 ? at : width
    out.push(rest.slice(0, cut))
    rest = rest.slice(cut).trimStart()
  }
  return [...out, rest]
}
