import { TypedEventEmitter } from 'main-event'
import { clockPhase, pressClock, remaining } from '../game/clock.js'
import { BLACK, WHITE } from '../game/constants.js'
import { Game } from '../game/game.js'
import { IllegalMoveError, GamePhaseError, InvalidSettingError, illegalMoveMessage } from '../game/errors.js'
import { formatResult } from '../game/result.js'
import { RULESETS } from '../game/rules.js'
import { cidOf } from '../wire/cid.js'
import { InvalidSignatureError } from '../wire/errors.js'
import { ACT_DOMAIN, actMessage, actToSign, type Act, type ActKind, type Side, type UnsignedAct } from '../wire/game-messages.js'
import { sign, verify, type SigningKey, type VerifyingKey } from '../wire/signing.js'
import type { CID } from 'multiformats/cid'
import type { Color } from '../game/color.js'
import type { Vertex } from '../game/vertex.js'
import type { SignedStart } from '../wire/game-start.js'

/** Turns before which either player may abort the game without a result (lichess: before both have moved). */
export const ABORT_BEFORE_TURNS = 2
/** How close to zero an accused player's own clock must be for a timeout claim to hold: the lag allowance. */
export const CLAIM_ALLOWANCE_MS = 1000

/** Why an act was refused; the peer is told this reason and the event stream reports it. */
export type RejectReason =
  | 'wrong-game' | 'wrong-author' | 'out-of-order' | 'broken-chain' | 'bad-signature'
  | 'game-over' | 'not-your-turn' | 'illegal-move' | 'not-now' | 'false-claim' | 'forged-result'

/** An act refused, with the reason and a sentence. Nothing changed. */
export class ActRejectedError extends Error {
  readonly reason: RejectReason
  constructor (reason: RejectReason, message: string) {
    super(message)
    this.name = 'ActRejectedError'
    this.reason = reason
  }
}

export interface SessionEvents {
  /** An act (either player's) took effect. */
  act: CustomEvent<{ act: Act, mine: boolean }>
  /** The game ended; `cosigned` once both result signatures are in. */
  ended: CustomEvent<{ result: string, cosigned: boolean }>
  chat: CustomEvent<{ from: Side, text: string }>
  /** The opponent proposed a marking or asked for an undo: the screen asks the player. */
  proposal: CustomEvent<{ kind: 'mark' | 'undo-request', act: Act }>
}

export interface SessionInit {
  readonly start: SignedStart
  readonly gameId: CID
  readonly me: Side
  /** My libp2p private key (signs my acts). */
  readonly key: SigningKey
  /** Each player's public key (checks their acts; mine too, when acts are replayed from storage). */
  readonly keys: Readonly<Record<Side, VerifyingKey>>
  readonly now: () => number
}

/**
 * A chat act left out of a published transcript (training data carries no conversation): its
 * place in its author's chain and its CID, so the next act's `prev` link can still be checked.
 */
export interface RedactedAct {
  readonly redacted: CID
  readonly by: Side
  readonly n: number
  readonly seen: number
}

/** A stored or published act: whole, or a redacted chat. */
export type TranscriptEntry = Act | RedactedAct

/** Whether a transcript entry is a redacted chat. */
export function isRedacted (entry: TranscriptEntry): entry is RedactedAct {
  return 'redacted' in entry
}

/** What an act is to the game: the turn it took, or how the game ended. */
interface TurnEntry { readonly side: Side, readonly act: Act }

const other = (s: Side): Side => (s === 'B' ? 'W' : 'B')
const colorOf = (s: Side): Color => (s === 'B' ? BLACK : WHITE)
const deadKey = (dead: ReadonlyArray<readonly [number, number]>): string => [...dead].map(([x, y]) => `${x},${y}`).sort().join(';')

/**
 * One game between two peers as a chain of signed acts: makes this player's acts, checks and
 * applies the opponent's, and keeps both sides' views of the game identical. No network here:
 * the game protocol service carries the acts, the store keeps them.
 */
export class GameSession extends TypedEventEmitter<SessionEvents> {
  readonly gameId: CID
  readonly start: SignedStart
  readonly me: Side
  game: Game
  /** Each player's acts in chain order (index n - 1). */
  readonly acts: Record<Side, Act[]> = { B: [], W: [] }
  /** Highest of my acts the opponent has acknowledged. */
  acked = 0
  /** The result text once the game is over, and the ply it ended at. */
  end: { readonly result: string, readonly turns: number } | undefined
  /** Result signatures received (acts of kind 'result'). */
  readonly results: Partial<Record<Side, Act>> = {}

  private readonly key: SigningKey
  private readonly keys: Readonly<Record<Side, VerifyingKey>>
  private readonly now: () => number
  private turns: TurnEntry[] = []
  private accepted: Partial<Record<Side, { key: string, turns: number, dead: ReadonlyArray<readonly [number, number]> }>> = {}
  private undoRequest: { side: Side, turns: number } | undefined
  /** The CIDs of redacted chats, by the placeholder that holds their place in `acts`. */
  private readonly redactedLinks = new WeakMap<Act, CID>()
  /** While replaying stored acts: a timeout claim already held once (or both players signed its result). */
  private replaying = false

  constructor (init: SessionInit) {
    super()
    this.gameId = init.gameId
    this.start = init.start
    this.me = init.me
    this.key = init.key
    this.keys = init.keys
    this.now = init.now
    this.game = this.freshGame()
    this.game.start(this.now())
  }

  /** Acts of mine the opponent has not acknowledged yet, oldest first: what to (re)send. */
  get unacked (): Act[] {
    return this.acts[this.me].slice(this.acked)
  }

  /** How many of the opponent's acts I have applied: the resume point I announce. */
  get have (): number {
    return this.acts[other(this.me)].length
  }

  /** Turn acts in play order: the game record both sides share. */
  get turnActs (): readonly Act[] {
    return this.turns.map(t => t.act)
  }

  async move (vertex: Vertex): Promise<Act> {
    return this.make('move', { ply: this.turns.length, x: vertex.x, y: vertex.y, clock: 0 })
  }

  async pass (): Promise<Act> {
    return this.make('pass', { ply: this.turns.length, clock: 0 })
  }

  async resign (): Promise<Act> {
    return this.make('resign', { ply: this.turns.length })
  }

  async abort (): Promise<Act> {
    return this.make('abort', { ply: this.turns.length })
  }

  async chat (text: string): Promise<Act> {
    return this.make('chat', { text })
  }

  async mark (dead: readonly Vertex[]): Promise<Act> {
    return this.make('mark', { dead: dead.map(v => [v.x, v.y] as const) })
  }

  /** Accepts the current marking (this player's view of it). */
  async acceptScore (): Promise<Act> {
    return this.make('accept', { ply: this.turns.length, dead: this.game.marking.dead.map(v => [v.x, v.y] as const) })
  }

  async resumePlay (): Promise<Act> {
    return this.make('resume', {})
  }

  async requestUndo (): Promise<Act> {
    return this.make('undo-request', { ply: this.turns.length })
  }

  async replyUndo (ok: boolean): Promise<Act> {
    return this.make('undo-reply', { ply: this.turns.length, ok })
  }

  /** Claims the opponent ran out of time; only when my clock says so, with the lag allowance spent. */
  async claimTimeout (): Promise<Act> {
    const mine = this.lastTurn(this.me)
    const theirs = this.lastTurn(other(this.me))
    return this.make('timeout-claim', { ply: this.turns.length, proof: [theirs, mine].filter((a): a is Act => a != null) })
  }

  /**
   * Checks and applies an act received from the opponent. Returns false for a duplicate (already
   * applied: acknowledge again, nothing changes); throws ActRejectedError and changes nothing
   * when the act is refused. `lagMs` is the measured network delay credited to their clock.
   */
  async receive (act: Act, options: { lagMs?: number } = {}): Promise<boolean> {
    const them = other(this.me)
    if (!act.game.equals(this.gameId)) throw new ActRejectedError('wrong-game', 'the act is for another game')
    if (act.by !== them) throw new ActRejectedError('wrong-author', `acts from this peer must be ${them}'s`)
    const chain = this.acts[them]
    if (act.n <= chain.length) {
      // A retry of something already applied: same bytes or it is a forgery of history.
      if (!equalActs(chain[act.n - 1], act)) throw new ActRejectedError('broken-chain', `act ${act.n} differs from the one already applied`)
      return false
    }
    if (act.n !== chain.length + 1) throw new ActRejectedError('out-of-order', `expected act ${chain.length + 1}, got ${act.n}`)
    await this.checkSignature(act)
    this.checkChain(act)
    this.apply(act, { at: this.now(), lagMs: options.lagMs ?? 0 })
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
   * Rebuilds the session from stored acts (after a restart), or checks a published transcript:
   * both chains are checked and re-applied in causal order, as they were the first time. Chats
   * may be redacted (only their place and CID). With `strict`, an act that does not apply is an
   * error (ActRejectedError) instead of staying void: a published game must replay exactly.
   */
  async replay (stored: Readonly<Record<Side, readonly TranscriptEntry[]>>, options: { strict?: boolean } = {}): Promise<void> {
    // Clocks restart from the game's creation: replayed turns are timed by their authors' `at`.
    this.game = this.freshGame()
    this.game.start(this.start.created)
    const next: Record<Side, number> = { B: 0, W: 0 }
    this.replaying = true
    try {
      while (next.B < stored.B.length || next.W < stored.W.length) {
        const ready = (['B', 'W'] as const).find(s => next[s] < stored[s].length && stored[s][next[s]].seen <= this.acts[other(s)].length)
        if (ready == null) throw new ActRejectedError('broken-chain', 'stored acts refer to acts that were never stored')
        const entry = stored[ready][next[ready]++]
        if (entry.by !== ready || entry.n !== this.acts[ready].length + 1) throw new ActRejectedError('out-of-order', `${ready}'s entry ${next[ready]} is ${entry.by}'s act ${entry.n}`)
        if (isRedacted(entry)) {
          this.acts[ready].push(this.placeholder(entry))
          continue
        }
        await this.checkSignature(entry)
        this.checkChain(entry)
        try {
          this.apply(entry, { at: entry.at, lagMs: 0 })
        } catch (err) {
          // An act that was voided when first applied (e.g. a move crossing a resignation) stays void.
          if (options.strict === true || !(err instanceof ActRejectedError || err instanceof IllegalMoveError || err instanceof GamePhaseError)) throw err
        }
        this.acts[ready].push(entry)
      }
    } finally {
      this.replaying = false
    }
  }

  /** The final summary both result acts sign: the result, the turns played and the last turn act. */
  finalSummary (): { game: CID, result: string, turns: number, last: CID | null } {
    if (this.end == null) throw new GamePhaseError(this.game.phase, 'the game is not over')
    const last = this.turns[this.end.turns - 1]?.act
    return { game: this.gameId, result: this.end.result, turns: this.end.turns, last: last != null ? cidOf(actMessage(last)) : null }
  }

  private async make (kind: ActKind, fields: Partial<UnsignedAct>): Promise<Act> {
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
      this.preflight(unsigned)
    }
    const withClock = kind === 'move' || kind === 'pass' ? { ...unsigned, clock: this.clockAfter(at) } : unsigned
    const act = await this.signAct(withClock)
    this.apply(act, { at, lagMs: 0 })
    chain.push(act)
    this.emitAct(act, true)
    await this.afterAct()
    return act
  }

  private async signAct (unsigned: UnsignedAct): Promise<Act> {
    const signed = await sign(this.key, ACT_DOMAIN, actToSign(unsigned))
    return { ...unsigned, sig: signed.sig }
  }

  private async checkSignature (act: Act): Promise<void> {
    try {
      await verify(this.keys[act.by], ACT_DOMAIN, actMessage(act))
      for (const p of act.proof ?? []) await verify(this.keys[p.by], ACT_DOMAIN, actMessage(p))
    } catch (err) {
      if (err instanceof InvalidSignatureError) throw new ActRejectedError('bad-signature', `act ${act.n}: ${err.message}`)
      throw err
    }
  }

  private checkChain (act: Act): void {
    const chain = this.acts[act.by]
    const prev = chain[chain.length - 1]
    const expected = prev != null ? this.linkOf(prev) : null
    if ((expected == null) !== (act.prev == null) || (expected != null && act.prev != null && !expected.equals(act.prev))) {
      throw new ActRejectedError('broken-chain', `act ${act.n} does not follow act ${chain.length}`)
    }
    if (act.seen > this.acts[other(act.by)].length) throw new ActRejectedError('out-of-order', `act ${act.n} refers to acts not yet received`)
  }

  /** Legality of a turn act against the game, without changing anything. */
  private preflight (act: UnsignedAct): void {
    if (this.end != null) throw new ActRejectedError('game-over', 'the game is over')
    if (act.ply !== this.turns.length) throw new ActRejectedError('not-your-turn', `turn ${act.ply} is not the turn in play (${this.turns.length})`)
    const color = colorOf(act.by)
    if (this.game.toMove !== color || this.game.phase !== 'play') throw new ActRejectedError('not-your-turn', 'it is not this player\'s turn')
    if (act.kind === 'move') {
      const reason = this.game.check(color, { x: act.x ?? -1, y: act.y ?? -1 })
      if (reason != null) throw new ActRejectedError('illegal-move', `illegal move: ${illegalMoveMessage(reason)}`)
    }
  }

  /** Applies an act's effect on the game; throws ActRejectedError (nothing changed) when it has none it may have. */
  private apply (act: Act, timing: { at: number, lagMs: number }): void {
    const side = act.by
    const color = colorOf(side)
    switch (act.kind) {
      case 'chat':
        this.dispatchEvent(new CustomEvent('chat', { detail: { from: side, text: act.text ?? '' } }))
        return
      case 'result':
        this.applyResult(act)
        return
      default:
    }
    if (this.end != null) {
      // A turn act made before its author saw the end is void on both sides (protocols/game.md).
      if ((act.kind === 'move' || act.kind === 'pass') && (act.ply ?? 0) >= this.end.turns) return
      throw new ActRejectedError('game-over', 'the game is over')
    }
    switch (act.kind) {
      case 'move':
      case 'pass': {
        this.preflight(act)
        try {
          if (act.kind === 'move') this.game.play(color, { x: act.x as number, y: act.y as number }, timing)
          else this.game.pass(color, timing)
        } catch (err) {
          if (err instanceof IllegalMoveError) throw new ActRejectedError(err.reason === 'game-over' ? 'game-over' : 'illegal-move', err.message)
          throw err
        }
        this.turns.push({ side, act })
        this.undoRequest = undefined
        this.accepted = {}
        if (this.game.phase === 'ended' && this.game.result != null) this.finish(formatResult(this.game.result), this.turns.length)
        return
      }
      case 'resign':
      case 'abort':
      case 'timeout-claim': {
        const ply = act.ply ?? 0
        if (ply > this.turns.length) throw new ActRejectedError('out-of-order', 'the act refers to turns not yet played')
        if (act.kind === 'abort' && ply >= ABORT_BEFORE_TURNS) throw new ActRejectedError('not-now', `a game can only be aborted in its first ${ABORT_BEFORE_TURNS} turns`)
        if (act.kind === 'timeout-claim') this.checkClaim(act)
        // Turns at or after the act's ply crossed it in flight: they are void (only the other player's can be).
        if (ply < this.turns.length) this.rebuild(ply)
        const winner = other(side)
        const result = act.kind === 'abort' ? 'Void' : act.kind === 'resign' ? `${winner}+R` : `${side}+T`
        this.finish(result, ply)
        return
      }
      case 'mark': {
        if (this.game.phase !== 'scoring') throw new ActRejectedError('not-now', 'dead stones are marked after both players pass')
        if (side !== this.me) this.dispatchEvent(new CustomEvent('proposal', { detail: { kind: 'mark', act } }))
        this.setMarking(act.dead ?? [])
        return
      }
      case 'accept': {
        if (this.game.phase !== 'scoring' || act.ply !== this.turns.length) throw new ActRejectedError('not-now', 'there is no score to accept at this turn')
        this.accepted[side] = { key: deadKey(act.dead ?? []), turns: this.turns.length, dead: act.dead ?? [] }
        const a = this.accepted.B
        const b = this.accepted.W
        if (a != null && b != null && a.key === b.key && a.turns === b.turns) {
          this.setMarking(a.dead)
          this.game.acceptScore(BLACK)
          this.game.acceptScore(WHITE)
          this.finish(formatResult(this.game.result!), this.turns.length)
        }
        return
      }
      case 'resume': {
        if (this.game.phase !== 'scoring') throw new ActRejectedError('not-now', 'play resumes only from counting')
        this.game.resumePlay({ at: timing.at })
        this.accepted = {}
        return
      }
      case 'undo-request': {
        const last = this.turns[this.turns.length - 1]
        if (this.game.phase !== 'play' || last == null || last.side !== side || act.ply !== this.turns.length) {
          throw new ActRejectedError('not-now', 'only the player who just moved may ask to take it back')
        }
        this.undoRequest = { side, turns: this.turns.length }
        if (side !== this.me) this.dispatchEvent(new CustomEvent('proposal', { detail: { kind: 'undo-request', act } }))
        return
      }
      case 'undo-reply': {
        const req = this.undoRequest
        if (req == null || req.side === side || act.ply !== req.turns || req.turns !== this.turns.length) throw new ActRejectedError('not-now', 'there is no undo request to answer')
        this.undoRequest = undefined
        if (act.ok === true) this.rebuild(this.turns.length - 1)
      }
    }
  }

  private checkClaim (act: Act): void {
    const accused = other(act.by)
    if (this.game.toMove !== colorOf(accused) || act.ply !== this.turns.length) throw new ActRejectedError('false-claim', 'the accused player is not the one to move')
    if (accused === this.me && !this.replaying) {
      // My own clock is the judge: the claim holds only if my time is (all but) gone.
      const left = this.game.clock.tc.kind === 'none' ? Infinity : remainingMs(this.game, colorOf(accused), this.now())
      if (left > CLAIM_ALLOWANCE_MS) throw new ActRejectedError('false-claim', `I still have ${Math.round(left / 1000)} s`)
    }
  }

  private applyResult (act: Act): void {
    if (this.end == null) throw new ActRejectedError('not-now', 'the game is not over')
    const summary = this.finalSummary()
    const expected = cidOf({ ...summary })
    if (act.result !== this.end.result || act.final == null || !act.final.equals(expected)) {
      throw new ActRejectedError('forged-result', `the result ${act.result ?? '?'} does not match this game's end (${this.end.result})`)
    }
    if (this.results[act.by] != null) throw new ActRejectedError('not-now', 'this player has already signed the result')
    this.results[act.by] = act
    if (this.results.B != null && this.results.W != null) {
      this.dispatchEvent(new CustomEvent('ended', { detail: { result: this.end.result, cosigned: true } }))
    }
  }

  /** After every applied act: once the game is over, sign the result (once). */
  private async afterAct (): Promise<void> {
    if (this.end != null && this.results[this.me] == null) {
      // The result act signs the CID of the final summary, so both signatures commit to one game.
      await this.make('result', { result: this.end.result, final: cidOf({ ...this.finalSummary() }) })
    }
  }

  private finish (result: string, turns: number): void {
    if (this.end != null) return
    this.end = { result, turns }
    this.dispatchEvent(new CustomEvent('ended', { detail: { result, cosigned: false } }))
  }

  private setMarking (dead: ReadonlyArray<readonly [number, number]>): void {
    try {
      this.game.setMarking(dead.map(([x, y]) => ({ x, y })))
    } catch (err) {
      if (err instanceof IllegalMoveError || err instanceof InvalidSettingError || err instanceof GamePhaseError) throw new ActRejectedError('not-now', err.message)
      throw err
    }
  }

  /** Replays the first `turns` turn acts into a fresh game (undo, or turns voided by an end act). */
  private rebuild (turns: number): void {
    const kept = this.turns.slice(0, turns)
    const game = this.freshGame()
    for (const t of kept) {
      if (t.act.kind === 'move') game.play(colorOf(t.side), { x: t.act.x as number, y: t.act.y as number })
      else game.pass(colorOf(t.side))
    }
    this.game = game
    this.turns = kept
    this.accepted = {}
  }

  private freshGame (): Game {
    const t = this.start.terms
    return new Game({ size: t.size, rules: RULESETS[t.rules], komi: t.komi, handicap: t.handicap, handicapPlacement: t.placement, timeControl: t.tc })
  }

  /** My total time left just after a turn made at `at` (increments and periods applied), for the act's clock field. */
  private clockAfter (at: number): number {
    const clock = this.game.clock
    if (clock.tc.kind === 'none' || clockPhase(clock) !== 'running') return 0
    const pressed = pressClock(clock, colorOf(this.me), at)
    return pressed.kind === 'moved' ? Math.max(0, Math.floor(remaining(pressed.state, colorOf(this.me), at).totalMs)) : 0
  }

  private lastTurn (side: Side): Act | undefined {
    for (let i = this.turns.length - 1; i >= 0; i--) if (this.turns[i].side === side) return this.turns[i].act
    return undefined
  }

  /** The CID the next act of the same chain links to. */
  private linkOf (act: Act): CID {
    return this.redactedLinks.get(act) ?? cidOf(actMessage(act))
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

/** A player's total time left on the game's clock at `at`. */
function remainingMs (game: Game, color: Color, at: number): number {
  return remaining(game.clock, color, at).totalMs
}

function equalActs (a: Act | undefined, b: Act): boolean {
  if (a == null) return false
  const x = a.sig
  const y = b.sig
  return x.length === y.length && x.every((v, i) => v === y[i])
}
