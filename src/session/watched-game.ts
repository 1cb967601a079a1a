import { TypedEventEmitter } from 'main-event'
import { cidOf, cidOfCanonical } from '../wire/cid.js'
import { InvalidSignatureError } from '../wire/errors.js'
import { ACT_DOMAIN, START_DOMAIN, actMessage, encodeGameMessage, otherSide, type Act, type Side } from '../wire/game-messages.js'
import { startToSign } from '../wire/game-start.js'
import { verify, type VerifyingKey } from '../wire/signing.js'
import { applyAct } from './apply.js'
import { checkLink, sameAct } from './chain-link.js'
import { ActRejectedError } from './errors.js'
import { PlayState } from './play-state.js'
import type { CID } from 'multiformats/cid'
import type { Game } from '../game/game.js'
import type { SignedStart } from '../wire/game-start.js'
import type { SessionEvents } from './events.js'

/** Acts of one player held until the acts before them arrive (protocols/watch.md, `HELD_MAX`). */
export const HELD_MAX = 64

export interface WatchedGameInit {
  readonly start: SignedStart
  readonly gameId: CID
  /** Each player's public key: every act is checked with its author's. */
  readonly keys: Readonly<Record<Side, VerifyingKey>>
}

/** What became of an act offered to a watched game. */
export type Offered = 'applied' | 'duplicate' | 'held'

export interface WatchedGameEvents {
  /** An act took effect (in play order). */
  act: CustomEvent<{ act: Act }>
  /** The game ended; `cosigned` once both players' result acts are in. */
  ended: SessionEvents['ended']
  /** The acts stopped applying: a player signed an act the rules refuse (the opponent refuses it too). */
  stopped: CustomEvent<{ error: ActRejectedError }>
}

/**
 * A game seen by a watcher (protocols/watch.md): both players' acts, checked exactly as the
 * opponent checks them (signature, chain link, `seen`, the rules), applied in causal order and
 * timed by their own `at` as a game rebuilt from storage is. Acts may arrive in any order from
 * anyone (gossip, catch-up): an act whose predecessors have not arrived is held. It signs
 * nothing and knows no network; the watch service feeds it.
 */
export class WatchedGame extends TypedEventEmitter<WatchedGameEvents> {
  readonly gameId: CID
  readonly start: SignedStart
  /** Each player's acts in chain order, as applied. */
  readonly acts: Record<Side, Act[]> = { B: [], W: [] }
  /** Why the acts stopped applying, if a player signed an act the rules refuse. */
  stopped: ActRejectedError | undefined

  private readonly keys: Readonly<Record<Side, VerifyingKey>>
  private readonly play: PlayState
  private readonly held: Record<Side, Map<number, { act: Act, encoded?: Uint8Array }>> = { B: new Map(), W: new Map() }
  private readonly wire = new WeakMap<Act, Uint8Array>()
  /** Every applied act in the order it was applied. */
  private readonly order: Act[] = []

  constructor (init: WatchedGameInit) {
    super()
    this.gameId = init.gameId
    this.start = init.start
    this.keys = init.keys
    this.play = new PlayState({
      start: init.start,
      gameId: init.gameId,
      // A watcher is neither player: `me` only decides who is asked about proposals (nobody
      // here listens) and whose clock judges a timeout claim, which replaying turns off.
      me: 'B',
      now: () => init.start.created,
      emit: (type, detail) => { if (type === 'ended') this.dispatchEvent(new CustomEvent('ended', { detail: detail as WatchedGameEvents['ended']['detail'] })) },
      chains: () => this.acts
    })
    this.play.replaying = true
    this.play.restart()
  }

  /** Checks both players' signatures on the start record; throws ActRejectedError('bad-signature') when one fails. */
  async checkStart (): Promise<void> {
    for (const side of ['B', 'W'] as const) {
      try {
        await verify(this.keys[side], START_DOMAIN, { ...startToSign(this.start), sig: this.start.sigs[side] })
      } catch (err) {
        if (err instanceof InvalidSignatureError) throw new ActRejectedError('bad-signature', `the start record: ${side}'s signature: ${err.message}`)
        throw err
      }
    }
  }

  get game (): Game {
    return this.play.game
  }

  get end (): { readonly result: string, readonly turns: number } | undefined {
    return this.play.end
  }

  /** Result acts applied, by their author. */
  get results (): Partial<Record<Side, Act>> {
    return this.play.results
  }

  /** Both players signed the result: nothing more will come. */
  get finished (): boolean {
    return this.play.results.B != null && this.play.results.W != null
  }

  /** Turn acts in play order. */
  get turnActs (): readonly Act[] {
    return this.play.turns.map(t => t.act)
  }

  /** How many acts of each player are applied: what a catch-up request says it has. */
  get have (): Record<Side, number> {
    return { B: this.acts.B.length, W: this.acts.W.length }
  }

  /** Acts held until their predecessors arrive. */
  get heldCount (): number {
    return this.held.B.size + this.held.W.size
  }

  /** The acts in causal order from `have` on, as they were applied: what a catch-up answer holds. */
  actsAfter (have: Readonly<Record<Side, number>>): Array<{ act: Act, encoded: Uint8Array }> {
    const out: Array<{ act: Act, encoded: Uint8Array }> = []
    for (const act of this.order) {
      if (act.n > have[act.by]) out.push({ act, encoded: this.encodedOf(act) })
    }
    return out
  }

  /**
   * Offers an act: checks its author's signature first (a forged act is refused before anything
   * else, whatever its number), then applies it and every held act it unblocks, or holds it.
   * Throws ActRejectedError, changing nothing, for a forged act, a fork of an applied or held
   * act (`broken-chain`), a wrong game, or too many held acts (`out-of-order`). `encoded` is the
   * act's message as received, when the caller has it.
   */
  async offer (act: Act, encoded?: Uint8Array): Promise<Offered> {
    if (!act.game.equals(this.gameId)) throw new ActRejectedError('wrong-game', 'the act is for another game')
    const applied = this.acts[act.by]
    if (act.n <= applied.length) {
      if (!sameAct(applied[act.n - 1], act)) {
        await this.checkSignature(act, encoded)
        throw new ActRejectedError('broken-chain', `${act.by}'s act ${act.n} differs from the one already applied`)
      }
      return 'duplicate'
    }
    const waiting = this.held[act.by].get(act.n)
    if (waiting != null) {
      if (sameAct(waiting.act, act)) return 'held'
      await this.checkSignature(act, encoded)
      throw new ActRejectedError('broken-chain', `${act.by}'s act ${act.n} differs from one already received`)
    }
    await this.checkSignature(act, encoded)
    if (this.stopped != null) throw this.stopped
    if (act.n !== applied.length + 1 && this.held[act.by].size >= HELD_MAX) throw new ActRejectedError('out-of-order', `more than ${HELD_MAX} of ${act.by}'s acts are waiting for earlier ones`)
    this.held[act.by].set(act.n, { act, ...(encoded != null ? { encoded } : {}) })
    const before = this.acts[act.by].length
    this.drain()
    if (act.n <= this.acts[act.by].length && this.acts[act.by].length > before) return 'applied'
    if (this.stopped != null) throw this.stopped
    return 'held'
  }

  /** Applies held acts while one is ready: its author's next, having seen no act not applied yet. */
  private drain (): void {
    for (;;) {
      const ready = (['B', 'W'] as const).map(s => ({ s, e: this.held[s].get(this.acts[s].length + 1) }))
        .find(({ s, e }) => e != null && e.act.seen <= this.acts[otherSide(s)].length)
      if (ready?.e == null || this.stopped != null) return
      const { act, encoded } = ready.e
      this.held[ready.s].delete(act.n)
      try {
        checkLink(this.acts, act, a => this.linkOf(a))
        applyAct(this.play, act, { at: act.at, lagMs: 0 })
      } catch (err) {
        const error = err instanceof ActRejectedError ? err : new ActRejectedError('illegal-move', (err as Error).message)
        this.stop(error)
        return
      }
      if (encoded != null) this.wire.set(act, encoded)
      this.acts[act.by].push(act)
      this.order.push(act)
      this.dispatchEvent(new CustomEvent('act', { detail: { act } }))
    }
  }

  private stop (error: ActRejectedError): void {
    this.stopped = error
    this.held.B.clear()
    this.held.W.clear()
    this.dispatchEvent(new CustomEvent('stopped', { detail: { error } }))
  }

  private async checkSignature (act: Act, encoded?: Uint8Array): Promise<void> {
    try {
      await verify(this.keys[act.by], ACT_DOMAIN, actMessage(act), encoded)
      for (const p of act.proof ?? []) await verify(this.keys[p.by], ACT_DOMAIN, actMessage(p))
    } catch (err) {
      if (err instanceof InvalidSignatureError) throw new ActRejectedError('bad-signature', `${act.by}'s act ${act.n}: ${err.message}`)
      throw err
    }
  }

  /** An applied act's message bytes, as received where the watcher had them. */
  encodedOf (act: Act): Uint8Array {
    return this.wire.get(act) ?? encodeGameMessage({ t: 'act', ...act })
  }

  private linkOf (act: Act): CID {
    const wire = this.wire.get(act)
    return wire != null ? cidOfCanonical(wire) : cidOf(actMessage(act))
  }
}
