// Text fitted to a terminal's columns: cut with an ellipsis, or wrapped at spaces. Widths count
// code points (the board's glyphs and names with accents are one column each).

/** `text` in at most `width` columns: cut with `…` when longer. */
export function cut (text: string, width: number): string {
  const chars = [...text]
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`
}

/** `text` in lines of at most `width` columns, broken at spaces; `indent` starts every line after the first. */
export function wrap (text: string, width: number, indent = ''): string[] {
  const out: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`
    if ([...next].length <= width || line === '') line = next
    else {
      out.push(line)
      line = `${indent}${word}`
    }
  }
  if (line !== '') out.push(line)
  return out.map(l => cut(l, width))
}
