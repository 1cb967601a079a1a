// The one place p2pgo reaches into blessed (0.1.81): its screen draws some Unicode symbols
// (·, ±, ●) through the terminal's line-drawing set (ACS) unless the terminal info says that set
// is broken (node_modules/blessed/lib/widgets/screen.js, `!this.tput.brokenACS`). Terminals that
// do not declare UTF-8 (tmux and many others) then show other glyphs. When the locale says UTF-8
// (or --ascii would be on), p2pgo marks the set broken, so the characters themselves are written.
// test/tui/blessed-unicode.test.ts fails, naming the version, when blessed changes this.
import type { Widgets } from 'blessed'

/** Makes `screen` write Unicode symbols as themselves, never through the line-drawing set. */
export function writeUnicodeSymbols (screen: Widgets.Screen): void {
  const tput = (screen as unknown as { tput?: { brokenACS?: unknown } }).tput
  if (tput == null || typeof tput.brokenACS !== 'boolean') throw new Error('this blessed has no screen.tput.brokenACS: p2pgo needs blessed 0.1.81')
  tput.brokenACS = true
}
