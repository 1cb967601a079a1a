// What the game screen's keys (and clicks) do while playing and while counting: move the cursor,
// play, pass, resign, ask for an undo, chat, type a move, mark groups dead, accept the count.
import { moveCursor } from './keys.js'
import { parseTypedMove } from './typed-move.js'
import type { AppContext } from './app-context.js'
import type { Action } from './keys.js'
import type { Vertex } from '../game/vertex.js'

/** Carries out a game screen's action on the game in progress (nothing when there is none). */
export function gameAction (ctx: AppContext, action: Action): void {
  const state = ctx.state
  const session = state.session()
  if (session == null) return
  const size = session.game.size
  switch (action) {
    case 'up': case 'down': case 'left': case 'right':
      ctx.cursor = moveCursor(ctx.cursor, action, size)
      return
    case 'play': {
      const at = ctx.cursor
      state.act(async s => s.move(at))
      return
    }
    case 'pass': state.act(async s => s.pass(), 'you passed'); return
    case 'resign':
      ctx.modal = { kind: 'confirm', text: 'Resign this game?', yes: () => { state.act(async s => s.resign()) } }
      return
    case 'undo': state.act(async s => s.requestUndo(), 'asked your opponent to take back your last move'); return
    case 'chat':
      ctx.modal = { kind: 'input', label: 'Say to your opponent:', value: '', done: text => { if (text.trim() !== '') state.act(async s => s.chat(text.trim())) } }
      return
    case 'type-move':
      ctx.modal = {
        kind: 'input',
        label: 'Your move (D4, pass, resign):',
        value: '',
        done: text => {
          const typed = parseTypedMove(text, size)
          if (typed.kind === 'invalid') state.say(typed.message)
          else if (typed.kind === 'pass') state.act(async s => s.pass(), 'you passed')
          // Resigning asks first, as the key does.
          else if (typed.kind === 'resign') gameAction(ctx, 'resign')
          else {
            ctx.cursor = typed.vertex
            state.act(async s => s.move(typed.vertex))
          }
        }
      }
      return
    case 'toggle-dead': {
      const group = session.game.groupAt(ctx.cursor)
      if (group.length === 0) { state.say('no stone there: put the cursor on a group to mark it dead or alive'); return }
      const key = (v: Vertex): string => `${v.x},${v.y}`
      const dead = new Map(session.game.marking.dead.map(v => [key(v), v]))
      // A group partly marked is marked whole; only a group wholly dead comes back to life.
      const wasDead = group.every(v => dead.has(key(v)))
      for (const v of group) {
        if (wasDead) dead.delete(key(v))
        else dead.set(key(v), v)
      }
      state.act(async s => s.mark([...dead.values()]), wasDead ? 'marked alive' : 'marked dead')
      return
    }
    case 'accept-count': state.acceptCount(); return
    case 'resume': state.act(async s => s.resumePlay(), 'play resumed'); return
    case 'leave':
      // Refused with its reason (not waiting, or not long enough yet) when leaving is not allowed.
      ctx.modal = { kind: 'confirm', text: 'Leave this game? It ends without result and is not rated.', yes: () => { state.act(async s => s.abandon(), 'you left the game: no result') } }
      return
  }
}
