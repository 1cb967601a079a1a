// What a GTP-driven player does on its own while the controller is not asked: GTP has no words
// for counting or for the opponent's undo requests, so the network engine answers them the way
// the bot does (src/bot/bot.ts): it proposes no dead stones, agrees to the opponent's marking,
// and keeps its moves.
import { otherSide, type Act } from '../wire/game-messages.js'
import type { GameSession } from '../session/index.js'
import type { Vertex } from '../game/vertex.js'

/** How the engine acts on the game: signs and sends an act (the game service's `perform`). */
export type Perform = (action: (s: GameSession) => Promise<Act>) => Promise<Act>

/**
 * Answers counting and undo requests for the local player of `session` until `signal` aborts.
 * As Black it accepts the count as it stands when counting begins (the game is played out:
 * dead stones are captured before passing); it accepts every marking the opponent proposes or
 * accepts; it declines the opponent's undo requests. `log` says each step in words.
 */
export function answerCounting (session: GameSession, perform: Perform, log: (line: string) => void, signal: AbortSignal): void {
  let queue = Promise.resolve()
  let acceptedAt: string | undefined
  const enqueue = (work: () => Promise<void>): void => {
    queue = queue.then(work).catch(err => { log(`counting: ${(err as Error).message}`) })
  }
  const accept = async (dead: readonly Vertex[]): Promise<void> => {
    if (session.end != null || session.game.phase !== 'scoring') return
    if (deadKey(session.game.marking.dead) !== deadKey(dead)) await perform(s => s.mark(dead))
    const key = `${session.turnActs.length}:${deadKey(dead)}`
    if (acceptedAt === key || session.end != null) return
    acceptedAt = key
    log(dead.length === 0 ? 'counting: accepting the count with no dead stones' : `counting: accepting ${dead.length} dead stone${dead.length === 1 ? '' : 's'} as marked`)
    await perform(s => s.acceptScore())
  }
  const onAct = (e: CustomEvent<{ act: Act, mine: boolean }>): void => {
    const { act, mine } = e.detail
    if (session.end != null) return
    if (!mine && act.kind === 'undo-request') {
      log('your opponent asked to take their last move back: declined (a GTP controller cannot be asked)')
      enqueue(async () => { await perform(s => s.replyUndo(false)) })
      return
    }
    if (!mine && (act.kind === 'mark' || act.kind === 'accept')) {
      if (act.kind === 'accept' && act.ply !== session.turnActs.length) return
      const dead = act.kind === 'accept' ? (act.dead ?? []).map(([x, y]) => ({ x, y })) : session.game.marking.dead
      enqueue(async () => { await accept(dead) })
      return
    }
    if (session.game.phase === 'scoring' && session.me === 'B' && (act.kind === 'pass' || act.kind === 'resume')) {
      enqueue(async () => { await accept(session.game.marking.dead) })
    }
  }
  session.addEventListener('act', onAct)
  signal.addEventListener('abort', () => { session.removeEventListener('act', onAct) }, { once: true })
  // A game resumed in counting: the opponent's last marking or acceptance may be waiting.
  if (session.game.phase === 'scoring' && session.end == null) {
    const waiting = session.acts[otherSide(session.me)].filter(a => a.kind === 'mark' || a.kind === 'accept').at(-1)
    if (waiting != null) onAct(new CustomEvent('act', { detail: { act: waiting, mine: false } }))
    else if (session.me === 'B') enqueue(async () => { await accept(session.game.marking.dead) })
  }
}

/** A marking as one comparable string (the order of the stones does not matter). */
function deadKey (dead: readonly Vertex[]): string {
  return dead.map(v => `${v.x},${v.y}`).sort().join(';')
}
