// The dialogs drawn over the body (confirm, a line of text, a choice, a page of text): their
// lines, their key hint and what their keys do. They take every key while open, so the screens'
// key maps never see a key meant for a dialog.

/** An open dialog and what it does with the answer. */
export type Modal =
  | { readonly kind: 'confirm', readonly text: string, readonly yes: () => void, readonly no?: () => void }
  | { readonly kind: 'input', readonly label: string, value: string, readonly done: (text: string) => void }
  | { readonly kind: 'choose', readonly title: string, readonly items: readonly string[], selected: number, readonly done: (i: number) => void }
  | { readonly kind: 'text', readonly title: string, readonly lines: readonly string[] }

/** Longest line the input dialog takes, in characters: a chat line or a typed move needs far less. */
const MAX_INPUT_CHARS = 200

/** The dialog's lines in blessed tags, every text passed through `esc` first. */
export function dialogLines (m: Modal, esc: (text: string) => string): string[] {
  switch (m.kind) {
    case 'confirm': return [esc(m.text), '', 'y: yes   n: no']
    case 'input': return [esc(m.label), '', `> ${esc(m.value)}_`]
    case 'choose': return [`{bold}${esc(m.title)}{/bold}`, '', ...m.items.map((item, i) => i === m.selected ? `{inverse}> ${esc(item)}{/inverse}` : `  ${esc(item)}`)]
    case 'text': return [`{bold}${esc(m.title)}{/bold}`, '', ...m.lines.map(esc)]
  }
}

/** The key hint while the dialog is open. */
export function dialogHint (m: Modal): string {
  switch (m.kind) {
    case 'confirm': return ' y yes · n no'
    case 'input': return ' Enter done · Esc cancel'
    case 'choose': return ' ↑↓ choose · Enter take · Esc cancel'
    case 'text': return ' Esc close'
  }
}

/** Carries out a key in the dialog; `close` is called before the dialog's own callback, which may open another. */
export function dialogKey (m: Modal, name: string, ch: string | undefined, close: () => void): void {
  switch (m.kind) {
    case 'confirm':
      if (name === 'y' || name === 'Y') { close(); m.yes() } else if (name === 'n' || name === 'N' || name === 'escape' || name === 'q') { close(); m.no?.() }
      return
    case 'input':
      if (name === 'enter') { close(); m.done(m.value) } else if (name === 'escape') close()
      else if (name === 'backspace') m.value = [...m.value].slice(0, -1).join('')
      else if (name === 'space') m.value += ' '
      else if (ch != null && ch.length === 1 && ch >= ' ' && [...m.value].length < MAX_INPUT_CHARS) m.value += ch
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
export function wrapLine (line: string, width: number): string[] {
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
