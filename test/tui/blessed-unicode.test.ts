import { PassThrough } from 'node:stream'
import { readFileSync } from 'node:fs'
import blessed from 'blessed'
import { afterEach, describe, expect, it } from 'vitest'
import { writeUnicodeSymbols } from '../../src/tui/blessed-unicode.js'

const version = (JSON.parse(readFileSync(new URL('../../node_modules/blessed/package.json', import.meta.url), 'utf8')) as { version: string }).version
const versions = `blessed ${version} (the adapter was written for 0.1.81)`

/** A screen on an xterm that does not declare UTF-8, writing into `written`. */
function screenOn (written: string[]): blessed.Widgets.Screen {
  const output = new PassThrough() as PassThrough & { columns: number, rows: number, isTTY: boolean }
  output.columns = 20
  output.rows = 3
  output.isTTY = true
  output.on('data', (chunk: Buffer) => { written.push(chunk.toString('utf8')) })
  return blessed.screen({ input: new PassThrough(), output, terminal: 'xterm', fullUnicode: true, forceUnicode: true, warnings: false })
}

describe('the blessed adapter (src/tui/blessed-unicode.ts)', () => {
  let screen: blessed.Widgets.Screen | undefined
  afterEach(() => { screen?.destroy() })

  it('makes the screen write · and ± as themselves, not through the line-drawing set', async () => {
    const written: string[] = []
    screen = screenOn(written)
    writeUnicodeSymbols(screen)
    blessed.box({ parent: screen, top: 0, left: 0, width: 10, height: 1, content: 'a · b ±' })
    screen.render()
    await new Promise(resolve => setTimeout(resolve, 20))
    const out = written.join('')
    // Blanks are cursor moves (ESC [ 1 C): the two symbols must appear as themselves.
    expect(out, `${versions}: · is not written as itself`).toContain('·')
    expect(out, `${versions}: ± is not written as itself`).toContain('±')
    expect(out, `${versions}: the line-drawing set is still switched on (ESC ( 0)`).not.toContain('\x1b(0')
  })

  it('says which library lacks the switch', () => {
    expect(() => { writeUnicodeSymbols({} as unknown as blessed.Widgets.Screen) }).toThrow(/blessed has no screen.tput.brokenACS: p2pgo needs blessed 0.1.81/)
  })
})
