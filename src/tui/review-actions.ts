// What the review screen's keys do: step back and forth, jump to the start, the end or a typed
// move number, export the game as SGF (the text `p2pgo export` prints), and opening a game in
// review from this node's games or its RNA.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { jumpTo, lastMove, reviewOf, stepFrom } from '../game/review.js'
import { recordToSgf } from '../game/sgf.js'
import { recordOfMrna } from '../rna/mrna-record.js'
import { validateRna } from '../rna/validate.js'
import type { AppContext, View } from './app-context.js'
import type { Action } from './keys.js'
import type { GameRecord } from '../game/game-record.js'

/** Carries out a review screen's action. */
export function reviewAction (ctx: AppContext, action: Action): void {
  const v = ctx.review
  if (v == null) return
  switch (action) {
    case 'left': v.move = stepFrom(v.review, v.move, -1); return
    case 'right': v.move = stepFrom(v.review, v.move, 1); return
    case 'up': v.move = stepFrom(v.review, v.move, -10); return
    case 'down': v.move = stepFrom(v.review, v.move, 10); return
    case 'first': v.move = 0; return
    case 'last': v.move = lastMove(v.review); return
    case 'jump':
      ctx.modal = {
        kind: 'input',
        label: `Jump to move (0 to ${lastMove(v.review)}):`,
        value: '',
        done: text => {
          const jump = jumpTo(v.review, text)
          // A move the game does not have changes nothing: the reason, and the move shown stays.
          if (jump.ok) { v.move = jump.move; ctx.state.say('') } else ctx.state.say(`${jump.reason}; still at move ${v.move}`)
        }
      }
      return
    case 'export': exportSgf(ctx); return
  }
}

/** The SGF file a review's export writes, in `dir`: named after the game's (or RNA's) ID. */
export function sgfPath (dir: string, id: string): string {
  return join(dir, `p2pgo-${id}.sgf`)
}

/** Writes the game on screen as SGF (as `p2pgo export` prints it) and says where. */
function exportSgf (ctx: AppContext): void {
  const v = ctx.review
  if (v == null) return
  const path = sgfPath(ctx.exportDir, v.id)
  writeFile(path, `${recordToSgf(v.review.record, 'p2pgo').trimEnd()}\n`).then(() => {
    ctx.state.say(`SGF saved: ${path}`)
    ctx.modal = { kind: 'text', title: 'SGF exported', lines: ['The game was written as SGF to', path] }
    ctx.draw()
  }, (err: Error) => { ctx.state.say(`could not write ${path}: ${err.message} (start p2pgo from a folder you can write to)`) })
}

/** Opens one of this node's own games, or a game it watched to its end (by game ID), in review. */
export function openGameReview (ctx: AppContext, id: string, title: string): void {
  // A game this node watched is not among its own: the watched games' store has it.
  openReview(ctx, id, title, async () => ctx.node.games.record(CID.parse(id)).catch(async err => ctx.node.watch.watched().then(ids => {
    if (!ids.some(w => w.toString() === id)) throw err
    return ctx.node.watch.watchedRecord(CID.parse(id))
  })))
}

/** Opens an RNA this node holds (by RNA ID) in review: its game, replayed under its rules. */
export function openRnaReview (ctx: AppContext, id: string): void {
  openReview(ctx, id, `RNA ${id}`, async () => {
    const stored = await ctx.node.rna.get(id)
    if (stored == null) throw new Error('this node no longer holds it (it may have expired)')
    return recordOfMrna((await validateRna(stored.bytes, Date.now())).game, id)
  })
}

function openReview (ctx: AppContext, id: string, title: string, load: () => Promise<GameRecord>): void {
  const from: View = ctx.view
  ctx.state.say('opening the game…')
  load().then(record => {
    const review = reviewOf(record)
    // The player may have left the list while the game was read.
    if (ctx.view !== from) return
    ctx.review = { review, move: lastMove(review), title, id, from }
    ctx.view = 'review'
    ctx.state.activity = 'reviewing a game'
    ctx.state.say('')
  }, (err: Error) => { ctx.state.say(`could not open ${id} for review: ${err.message}`) })
}
