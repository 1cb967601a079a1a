// What the inbox screen does (protocols/post.md): accept the selected challenge (asked first: it
// starts a game, a correspondence one as a rule) or dismiss an item (a challenge is declined).
// Each says in words what happened and what comes next; the list is read again after.
import { termsText } from './presets.js'
import type { AppContext } from './app-context.js'

/** How long the node may take to answer the challenger (directly, or by leaving it with its relays). */
const SEND_TIMEOUT_MS = 30_000

/** Asks, then accepts the challenge `id`; `reload` reads the list again. */
export function acceptFromInbox (ctx: AppContext, id: string, reload: () => void): void {
  const post = ctx.node.post
  if (post == null) return
  post.inbox().then(items => {
    const item = items.find(i => i.id === id)
    if (item?.challenge == null) {
      ctx.state.say('only a challenge can be accepted: x dismisses a message')
      return
    }
    const c = item.challenge
    ctx.modal = {
      kind: 'confirm',
      text: `Accept ${c.name}'s challenge: ${termsText(c.terms)}? The game starts once ${c.name} has your answer (at once if online, else when back).`,
      yes: () => {
        ctx.state.say(`accepting ${c.name}'s challenge…`)
        post.accept(id, { signal: AbortSignal.timeout(SEND_TIMEOUT_MS) }).then(r => {
          ctx.state.say(r.via === 'direct'
            ? `accepted: ${c.name} is online, the game starts in a moment (under Your games in the lobby)`
            : `accepted: your answer waits with ${c.name}'s relays; the game starts when ${c.name} comes back`)
          reload()
          ctx.state.recountInbox()
        }, err => { ctx.state.say(`could not accept ${c.name}'s challenge: ${(err as Error).message}`) })
      }
    }
    ctx.draw()
  }, err => { ctx.state.say(`could not read your inbox: ${(err as Error).message}`) })
}

/** Dismisses the item `id` (a challenge is declined, as far as the challenger can be told). */
export function dismissFromInbox (ctx: AppContext, id: string, reload: () => void): void {
  const post = ctx.node.post
  if (post == null) return
  post.dismiss(id, { signal: AbortSignal.timeout(SEND_TIMEOUT_MS) }).then(() => {
    ctx.state.say('dismissed (a challenge is declined: the challenger is told when it can be reached)')
    reload()
    ctx.state.recountInbox()
  }, err => { ctx.state.say(`could not dismiss it: ${(err as Error).message}`) })
}
