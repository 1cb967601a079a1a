import { TypedEventEmitter } from 'main-event'
import { clockPhase, pressClock, remaining } from '../game/clock.js'
import { GamePhaseError, IllegalMoveError } from '../game/errors.js'
import { cidOf, cidOfCanonical } from '../wire/cid.js'
import { InvalidSignatureError } from '../wire/errors.js'
import { ACT_DOMAIN, actMessage, actToSign, otherSide, type Act, type ActKind, type Side, type UnsignedAct } from '../wire/game-messages.js'
import { sign, verify, type SigningKey, type VerifyingKey } from '../wire/signing.js'
import { applyAct } from './apply.js'
import { checkTurn } from './apply-turn.js'
import { ActRejectedError } from './errors.js'
import { waitingSince } from './abandonment.js'
import { ABANDON_AFTER_MS, REPLAY_VERIFY_AHEAD, REWIND_MIN_MS } from './constants.js'
import { PlayState } from './play-state.js'
import { colorOf } from './sides.js'
import { causalOrder } from './causal-order.js'
import { checkLink, sameAct } from './chain-link.js'
import { isRedacted, type RedactedAct, type TranscriptEntry } from './transcript.js'
import type { CID } from 'multiformats/cid'
import type { Game } from '../game/game.js'
import type { Vertex } from '../game/vertex.js'
import type { SignedStart } from '../wire/game-start.js'
import type { SessionEvents } from './events.js'

export interface SessionInit {
  readonly start: SignedStart
  readonly gameId: CID
  readonly me: Side
  /** My libp2p private key (signs my acts). */
  readonly key: SigningKey
  /** Each player's public key (checks their acts; mine too, when acts are replayed from storage). */
  readonly keys: Readonly<Record<Side, VerifyingKey>>
  readonly now: () => number
  /** How long this player waits on a silent opponent before it may leave (default ABANDON_AFTER_MS). */
  readonly abandonAfterMs?: number
}

/** How `GameSession.replay` treats the stored acts. */
export interface ReplayOptions {
  /** An act that does not apply is an error (ActRejectedError) instead of staying void: a published game must replay exactly. */
  readonly strict?: boolean
  /**
   * The canonical CBOR each act was decoded from (its message, `sig` included), where the caller
   * has it: the next act's link is then its hash, without encoding the act again. Only bytes the
   * decoder checked re-encode to exactly this act may be given.
   */
  readonly encoded?: (act: Act) => Uint8Array | undefined
}

/**
 * One game between two peers as a chain of signed acts: makes this player's acts, checks and
 * applies the opponent's, and keeps both sides' views of the game identical. No network here:
 * the game protocol service carries the acts, the store keeps them. The chains (order, links,
 * signatures) are checked here; what each act does to the game is in apply-*.ts.
 */
export class GameSession extends TypedEventEmitter<SessionEvents> {
  readonly gameId: CID
  readonly start: SignedStart
  readonly me: Side
  /** Each player's acts in chain order (index n - 1). */
  readonly acts: Record<Side, Act[]> = { B: [], W: [] }
  /** Highest of my acts the opponent has acknowledged. */
  acked = 0

  private readonly key: SigningKey
  private readonly keys: Readonly<Record<Side, VerifyingKey>>
  private readonly now: () => number
  private readonly abandonAfterMs: number
  /** When the opponent last made me take back acknowledgements (its store lost acts). */
  private rewoundAt: number | undefined
  private readonly play: PlayState
  /** My acts being made, one after another (make), and my result act while it is made (once). */
  private making: Promise<unknown> = Promise.resolve()
  private resulting: Promise<Act> | undefined
  /** The CIDs of redacted chats, by the placeholder that holds their place in `acts`. */
  private readonly redactedLinks = new WeakMap<Act, CID>()
  /** Replayed acts' canonical bytes, when the caller had them: their CID without encoding them again. */
  private readonly wire = new WeakMap<Act, Uint8Array>()

  constructor (init: SessionInit) {
    super()
    this.gameId = init.gameId
    this.start = init.start
    this.me = init.me
    this.key = init.key
    this.keys = init.keys
    this.now = init.now
    this.abandonAfterMs = init.abandonAfterMs ?? ABANDON_AFTER_MS
    this.play = new PlayState({
      start: init.start,
      gameId: init.gameId,
      me: init.me,
      now: init.now,
      emit: (type, detail) => { this.dispatchEvent(new CustomEvent(type, { detail })) },
      chains: () => this.acts
    })
  }

  /** The game as the acts made it. */
  get game (): Game {
    return this.play.game
  }

  /** The result text once the game is over, and the ply it ended at. */
  get end (): { readonly result: string, readonly turns: number } | undefined {
    return this.play.end
  }

  /** Who ended the game and how (resign, abort, timeout-claim), when a player's act ended it. */
  get endedBy (): { readonly side: Side, readonly kind: ActKind } | undefined {
    return this.play.endedBy
  }

  /**
   * Since when this player has been waiting on a silent opponent (ms since the epoch), or
   * undefined when it is not waiting: see protocols/game.md, "Abandonment".
   */
  waitingSince (): number | undefined {
    return waitingSince(this.play, this.acts, this.me, this.have)
  }

  /** Whether this player may leave the game as abandoned now: it has waited its limit on a silent opponent. */
  mayLeave (at = this.now()): boolean {
    const since = this.waitingSince()
    return since != null && at - since >= this.abandonAfterMs
  }

  /** How long this player waits on a silent opponent before it may leave. */
  get abandonLimitMs (): number {
    return this.abandonAfterMs
  }

  /** Result signatures received (acts of kind 'result'). */
  get results (): Partial<Record<Side, Act>> {
    return this.play.results
  }

  /** Acts of mine the opponent has not acknowledged yet, oldest first: what to (re)send. */
  get unacked (): Act[] {
    return this.acts[this.me].slice(this.acked)
  }

  /** How many of the opponent's acts I have applied: the resume point I announce. */
  get have (): number {
    return this.acts[otherSide(this.me)].length
  }

  /** Turn acts in play order: the game record both sides share. */
  get turnActs (): readonly Act[] {
    return this.play.turns.map(t => t.act)
  }

  async move (vertex: Vertex): Promise<Act> {
    return this.make('move', { ply: this.play.turns.length, x: vertex.x, y: vertex.y, clock: 0 })
  }

  async pass (): Promise<Act> {
    return this.make('pass', { ply: this.play.turns.length, clock: 0 })
  }

  async resign (): Promise<Act> {
    return this.make('resign', { ply: this.play.turns.length })
  }

  async abort (): Promise<Act> {
    return this.make('abort', { ply: this.play.turns.length })
  }

  /**
   * Leaves the game as abandoned (an `abort`, no result) once this player has waited its limit on
   * a silent opponent; refused (not-now, nothing made) before that.
   */
  async abandon (): Promise<Act> {
    const since = this.waitingSince()
    if (since == null) throw new ActRejectedError('not-now', 'you can leave a game only while waiting on your opponent (not on your turn, nor under a running clock: the flag ends that)')
    const waited = this.now() - since
    if (waited < this.abandonAfterMs) {
      throw new ActRejectedError('not-now', `your opponent has been silent for ${Math.floor(waited / 1000)} s; you can leave the game after ${Math.ceil(this.abandonAfterMs / 1000)} s`)
    }
    return this.make('abort', { ply: this.play.turns.length })
  }

  async chat (text: string): Promise<Act> {
    return this.make('chat', { text })
  }

  async mark (dead: readonly Vertex[]): Promise<Act> {
    return this.make('mark', { dead: dead.map(v => [v.x, v.y] as const) })
  }

  /** Accepts the current marking (this player's view of it). */
  async acceptScore (): Promise<Act> {
    return this.make('accept', { ply: this.play.turns.length, dead: this.game.marking.dead.map(v => [v.x, v.y] as const) })
  }

  async resumePlay (): Promise<Act> {
    return this.make('resume', {})
  }

  async requestUndo (): Promise<Act> {
    return this.make('undo-request', { ply: this.play.turns.length })
  }

  async replyUndo (ok: boolean): Promise<Act> {
    return this.make('undo-reply', { ply: this.play.turns.length, ok })
  }

  /** Claims the opponent ran out of time; only when my clock says so, with the lag allowance spent. */
  async claimTimeout (): Promise<Act> {
    const mine = this.play.lastTurn(this.me)
    const theirs = this.play.lastTurn(otherSide(this.me))
    return this.make('timeout-claim', { ply: this.play.turns.length, proof: [theirs, mine].filter((a): a is Act => a != null) })
  }

  /**
   * Checks and applies an act received from the opponent. Returns false for a duplicate (already
   * applied: acknowledge again, nothing changes); throws ActRejectedError and changes nothing
   * when the act is refused. `lagMs` is the measured network delay credited to their clock.
   */
  async receive (act: Act, options: { lagMs?: number } = {}): Promise<boolean> {
    const them = otherSide(this.me)
    if (!act.game.equals(this.gameId)) throw new ActRejectedError('wrong-game', 'the act is for another game')
    if (act.by !== them) throw new ActRejectedError('wrong-author', `acts from this peer must be ${them}'s`)
    const chain = this.acts[them]
    if (act.n <= chain.length) {
      // A retry of something already applied: same bytes or it is a forgery of history.
      if (!sameAct(chain[act.n - 1], act)) throw new ActRejectedError('broken-chain', `act ${act.n} differs from the one already applied`)
      return false
    }
    if (act.n !== chain.length + 1) throw new ActRejectedError('out-of-order', `expected act ${chain.length + 1}, got ${act.n}`)
    await this.checkSignature(act)
    this.checkChain(act)
    applyAct(this.play, act, this.play.timingOf(act, options.lagMs ?? 0))
    chain.push(act)
    this.emitAct(act, false)
    await this.afterAct()
    return true
  }

  /** The opponent acknowledged my acts up to `n`. */
  acknowledge (n: number): void {
    if (n > this.acked && n <= this.acts[this.me].length) this.acked = n
  }

  /**
   * The opponent says (in its hello) it holds my acts up to `n`. Fewer than it acknowledged before
   * means its store lost some: they count as unacknowledged again and are sent again.
   */
  opponentHolds (n: number): void {
    if (n >= this.acked) {
      this.acknowledge(n)
      return
    }
    // At most once per REWIND_MIN_MS: a peer repeating a low `have` cannot make me resend every act each time.
    const now = this.now()
    if (this.rewoundAt != null && now - this.rewoundAt < REWIND_MIN_MS) return
    this.rewoundAt = now
    this.acked = n
  }

  /**
   * Rebuilds the session from stored acts (after a restart), or checks a published transcript:
   * both chains are checked and re-applied in causal order, as they were the first time. Chats
   * may be redacted (only their place and CID). See ReplayOptions for `strict` and `encoded`.
   */
  async replay (stored: Readonly<Record<Side, readonly TranscriptEntry[]>>, options: ReplayOptions = {}): Promise<void> {
    // Clocks restart from the game's creation: replayed turns are timed by their authors' `at`.
    this.play.restart()
    const { order, stuck } = causalOrder(stored, { B: this.acts.B.length, W: this.acts.W.length })
    // Signatures are checked ahead of the replay (they depend on nothing the replay changes), so a
    // key that checks off the main thread works while the game is applied. Each act still waits
    // for its own verdict before it is applied, so the first fault in play order is the one reported.
    const verdicts: Array<Promise<unknown> | undefined> = []
    let ahead = 0
    this.play.replaying = true
    try {
      for (const [k, { side: ready, index, entry }] of order.entries()) {
        for (; ahead < Math.min(order.length, k + 1 + REPLAY_VERIFY_AHEAD); ahead++) {
          const e = order[ahead].entry
          if (!isRedacted(e)) verdicts[ahead] = this.checkSignature(e, options.encoded?.(e)).then(() => undefined, (err: unknown) => err ?? new Error('signature check failed'))
        }
        if (entry.by !== ready || entry.n !== this.acts[ready].length + 1) throw new ActRejectedError('out-of-order', `${ready}'s entry ${index + 1} is ${entry.by}'s act ${entry.n}`)
        if (isRedacted(entry)) {
          this.acts[ready].push(this.placeholder(entry))
          continue
        }
        const failed = await verdicts[k]
        verdicts[k] = undefined
        if (failed != null) throw failed
        this.checkChain(entry)
        try {
          applyAct(this.play, entry, { at: entry.at, lagMs: 0 })
        } catch (err) {
          // An act that was voided when first applied (e.g. a move crossing a resignation) stays void.
          if (options.strict === true || !(err instanceof ActRejectedError || err instanceof IllegalMoveError || err instanceof GamePhaseError)) throw err
        }
        const wire = options.encoded?.(entry)
        if (wire != null) this.wire.set(entry, wire)
        this.acts[ready].push(entry)
      }
      if (stuck != null) throw stuck
    } finally {
      this.play.replaying = false
    }
  }

  /** The final summary both result acts sign: the result, the turns played and the last turn act. */
  finalSummary (): { game: CID, result: string, turns: number, last: CID | null } {
    return this.play.finalSummary()
  }

  /** Makes, signs and applies one of my acts; acts asked for at once (a move and a flag-fall claim) one after another. */
  private async make (kind: ActKind, fields: Partial<UnsignedAct>): Promise<Act> {
    const made = this.making.then(async () => this.makeNow(kind, fields))
    this.making = made.catch(() => {})
    const act = await made
    await this.afterAct()
    return act
  }

  private async makeNow (kind: ActKind, fields: Partial<UnsignedAct>): Promise<Act> {
    const chain = this.acts[this.me]
    const prev = chain[chain.length - 1]
    const at = this.now()
    const unsigned: UnsignedAct = {
      game: this.gameId,
      by: this.me,
      n: chain.length + 1,
      prev: prev != null ? this.linkOf(prev) : null,
      seen: this.have,
      at,
      kind,
      ...fields
    }
    if (kind === 'move' || kind === 'pass') {
      // The clock field is the author's own reading after the move; check legality first.
      checkTurn(this.play, unsigned)
    }
    const withClock = kind === 'move' || kind === 'pass' ? { ...unsigned, clock: this.clockAfter(at) } : unsigned
    const act = await this.signAct(withClock)
    applyAct(this.play, act, { at, lagMs: 0 })
    chain.push(act)
    this.emitAct(act, true)
    return act
  }

  private async signAct (unsigned: UnsignedAct): Promise<Act> {
    const signed = await sign(this.key, ACT_DOMAIN, actToSign(unsigned))
    return { ...unsigned, sig: signed.sig }
  }

  /** Checks an act's signature (and its proof's); `encoded` as in ReplayOptions. */
  private async checkSignature (act: Act, encoded?: Uint8Array): Promise<void> {
    try {
      await verify(this.keys[act.by], ACT_DOMAIN, actMessage(act), encoded)
      for (const p of act.proof ?? []) await verify(this.keys[p.by], ACT_DOMAIN, actMessage(p))
    } catch (err) {
      if (err instanceof InvalidSignatureError) throw new ActRejectedError('bad-signature', `act ${act.n}: ${err.message}`)
      throw err
    }
  }

  private checkChain (act: Act): void {
    checkLink(this.acts, act, a => this.linkOf(a))
  }

  /** After every applied act: once the game is over, sign the result (once). */
  private async afterAct (): Promise<void> {
    if (this.end == null || this.results[this.me] != null) return
    // Once, though the opponent's acts may end the game again while it is being signed. The
    // result act signs the CID of the final summary, so both signatures commit to one game.
    this.resulting ??= this.make('result', { result: this.end.result, final: cidOf({ ...this.finalSummary() }) })
      .catch(err => { this.resulting = undefined; throw err })
    await this.resulting
  }

  /** My total time left just after a turn made at `at` (increments and periods applied), for the act's clock field. */
  private clockAfter (at: number): number {
    const clock = this.game.clock
    if (clock.tc.kind === 'none' || clockPhase(clock) !== 'running') return 0
    const pressed = pressClock(clock, colorOf(this.me), at)
    return pressed.kind === 'moved' ? Math.max(0, Math.floor(remaining(pressed.state, colorOf(this.me), at).totalMs)) : 0
  }

  /** The CID the next act of the same chain links to. */
  private linkOf (act: Act): CID {
    const wire = this.wire.get(act)
    return this.redactedLinks.get(act) ?? (wire != null ? cidOfCanonical(wire) : cidOf(actMessage(act)))
  }

  /** Holds a redacted chat's place in its chain; it has no effect on the game. */
  private placeholder (entry: RedactedAct): Act {
    const act: Act = { game: this.gameId, by: entry.by, n: entry.n, prev: null, seen: entry.seen, at: 0, kind: 'chat', sig: new Uint8Array(0) }
    this.redactedLinks.set(act, entry.redacted)
    return act
  }

  private emitAct (act: Act, mine: boolean): void {
    this.dispatchEvent(new CustomEvent('act', { detail: { act, mine } }))
  }
}
