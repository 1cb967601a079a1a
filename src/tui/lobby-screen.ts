// The lobby as lines of text: players with rating, reputation and connection, others'
// open seeks, the live games to watch, this player's seek and the challenges waiting for an
// answer. Pure: the app passes what the client state holds and draws the lines.
import { lobbyHeader, lobbyRow } from './lobby-rows.js'
import { termsText } from './presets.js'
import { liveRow } from './live-rows.js'
import { friendRow, friendsHeading } from './friend-rows.js'
import { ongoingHeading } from './ongoing-games.js'
import { inboxNotice } from './inbox-lines.js'
import type { FriendStatus } from '../net/friends/index.js'
import type { IncomingChallenge, LobbyEntry } from './client-state.js'
import type { GameTerms } from '../wire/game-start.js'
import { cut } from './text-fit.js'

export interface LobbyInput {
  readonly entries: readonly LobbyEntry[]
  /** Index of the selected entry. */
  readonly selected: number
  readonly size: number
  readonly mySeeks: readonly GameTerms[]
  readonly challenges: readonly IncomingChallenge[]
  /** About how many nodes are online (the lobby's census), when it has heard any. */
  readonly online?: { readonly total: number, readonly onSize: number }
  /** Whether to draw the section of live games (the entries of kind `live`: games in progress on the size shown that players near this one's rating announce). */
  readonly live?: boolean
  /** Challenges and messages waiting in the inbox; a line on top when any. */
  readonly inbox?: number
  /** The friends followed (p2pgo friends add) and what their presence records say; no section when none. */
  readonly friends?: readonly FriendStatus[]
}

/** A line that stands out (blessed tags); text inside is escaped by the caller's `escape`. */
export type Styled = (text: string) => string

/** The selection kept on a real row when the list changes. */
export function clampSelection (selected: number, count: number): number {
  return count === 0 ? 0 : Math.max(0, Math.min(count - 1, selected))
}

/**
 * The lobby in at most `height` lines of at most `width` columns. The selected row is marked
 * with `>` and passed through `highlight`; every text is passed through `escape` first.
 */
export function lobbyLines (input: LobbyInput, width: number, height: number, escape: Styled = t => t, highlight: Styled = t => t, heading: Styled = t => t): string[] {
  const top: string[] = []
  for (const c of input.challenges) top.push(highlight(escape(cut(`! ${c.offer.name} challenges you: ${termsText(c.offer.terms)}   a accept · d decline`, width))))
  const waiting = inboxNotice(input.inbox ?? 0)
  if (waiting != null) top.push(highlight(escape(cut(waiting, width))))
  for (const t of input.mySeeks) top.push(escape(cut(`Your seek: ${termsText(t)} (waiting for someone to take it)`, width)))
  const players = input.entries.filter(e => e.kind === 'player')
  const seeks = input.entries.filter(e => e.kind === 'seek')
  const rows: Array<{ text: string, index?: number }> = []
  // The player's own games in progress first (correspondence games wait here between moves).
  const own = input.entries.flatMap(e => e.kind === 'game' ? [e.game] : [])
  if (own.length > 0) {
    rows.push({ text: heading(escape(cut(ongoingHeading(own), width))) })
    input.entries.forEach((e, index) => {
      if (e.kind !== 'game') return
      rows.push({ text: cut(`${index === input.selected ? '>' : ' '} ${e.game.line}`, width), index })
    })
    rows.push({ text: '' })
  }
  const all = input.online != null ? `; about ${input.online.total} online, ${input.online.onSize} play ${input.size}x${input.size}` : ''
  rows.push({ text: heading(escape(cut(`Players online: ${players.length} near your rating on ${input.size}x${input.size}${all}   (z changes the size)`, width))) })
  rows.push({ text: escape(cut(`  ${lobbyHeader()}`, width)) })
  if (players.length === 0) rows.push({ text: escape('  nobody else yet: others appear here as they join') })
  input.entries.forEach((e, index) => {
    if (e.kind !== 'player') return
    rows.push({ text: cut(`${index === input.selected ? '>' : ' '} ${lobbyRow(e.player)}`, width), index })
  })
  rows.push({ text: '' })
  if (input.friends != null && input.friends.length > 0) {
    rows.push({ text: heading(escape(friendsHeading(input.friends))) })
    for (const f of input.friends) rows.push({ text: escape(cut(`  ${friendRow(f)}`, width)) })
    rows.push({ text: '' })
  }
  rows.push({ text: heading(escape(`Open seeks: ${seeks.length}`)) })
  if (seeks.length === 0) rows.push({ text: escape('  none: post one with s, or challenge a player') })
  input.entries.forEach((e, index) => {
    if (e.kind !== 'seek') return
    rows.push({ text: cut(`${index === input.selected ? '>' : ' '} ${e.name}: ${termsText(e.seek.terms)}${e.seek.color !== 'random' ? ` (plays ${e.seek.color})` : ''}`, width), index })
  })
  if (input.live === true) {
    const live = input.entries.filter(e => e.kind === 'live')
    rows.push({ text: '' })
    rows.push({ text: heading(escape(`Live games: ${live.length}`)) })
    if (live.length === 0) rows.push({ text: escape('  none: games in progress near your rating appear here') })
    input.entries.forEach((e, index) => {
      if (e.kind !== 'live') return
      rows.push({ text: cut(`${index === input.selected ? '>' : ' '} ${liveRow(e.live)}`, width), index })
    })
  }
  const room = Math.max(1, height - top.length)
  // Scroll so the selected row stays in view.
  const at = Math.max(0, rows.findIndex(r => r.index === input.selected))
  const start = Math.max(0, Math.min(at - Math.floor(room / 2), rows.length - room))
  const shown = rows.slice(start, start + room).map(r => r.index === input.selected ? highlight(escape(r.text)) : r.index != null ? escape(r.text) : r.text)
  return [...top, ...shown].slice(0, height)
}
