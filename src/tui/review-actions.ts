// What the review screen's keys do: step back and forth, jump to the start, the end or a typed
// move number, export the game as SGF (the text `p2pgo export` prints), and opening a game in
// review from this node's games, its RNA or an SGF file.
import { readFile, stat, writeFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { CID } from 'multiformats/cid'
import { jumpTo, lastMove, reviewOf, stepFrom } from '../game/review.js'
import { decodeSgfBytes, MAX_SGF_BYTES, recordFromSgf, recordToSgf } from '../game/sgf.js'
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

/**
 * Asks for the path of an SGF file (relative to the folder p2pgo started in) and opens its game
 * in review: the main line, checked move by move against its rules (RU), with the dead stones its
 * TB/TW mark at the end. A file that cannot be read, or a move the rules refuse, is said plainly.
 */
export function openSgfFileReview (ctx: AppContext): void {
  ctx.modal = {
    kind: 'input',
    label: 'Open an SGF file (path):',
    value: '',
    done: text => {
      if (text.trim() === '') return
      const path = resolve(ctx.exportDir, text.trim())
      const name = basename(path).replace(/\.sgf$/i, '')
      openReview(ctx, name, `SGF file ${basename(path)}`, async () => {
        if ((await stat(path)).size > MAX_SGF_BYTES) throw new Error(`it is larger than ${MAX_SGF_BYTES} bytes`)
        return recordFromSgf(decodeSgfBytes(await readFile(path)))
      })
    }
  }
}

function openReview (ctx: AppContext, id: string, title: string, load: () => Promise<GameRecord>): void {
  const from: View = ctx.view
  ctx.state.say('opening the game…')
  // reviewOf replays the record: a move its rules refuse (an SGF file's) is said like a read error.
  load().then(reviewOf).then(review => {
    // The player may have left the list while the game was read.
    if (ctx.view !== from) return
    ctx.review = { review, move: lastMove(review), title, id, from }
    ctx.view = 'review'
    ctx.state.activity = 'reviewing a game'
    ctx.state.say('')
  }, (err: Error) => { ctx.state.say(`could not open ${id} for review: ${err.message}`) })
}
