import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { GameSession } from '../../src/session/index.js'
import { gameIdOf, startToSign, type GameTerms, type SignedStart } from '../../src/wire/game-start.js'
import { sign } from '../../src/wire/signing.js'
import { START_DOMAIN } from '../../src/wire/game-messages.js'
import type { PrivateKey } from '@libp2p/interface'

/** A fake clock both sessions share, moved by hand: tests never sleep. */
export class FakeTime {
  t = 1_700_000_000_000
  now = (): number => this.t
  advance (ms: number): void { this.t += ms }
}

export interface Pair {
  readonly black: GameSession
  readonly white: GameSession
  readonly keys: { readonly B: PrivateKey, readonly W: PrivateKey }
  readonly start: SignedStart
  readonly time: FakeTime
}

export const defaultTerms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }

/** Two sessions of one game, co-signed start and all, with no network between them. */
export async function sessionPair (terms: Partial<GameTerms> = {}, players: { B?: PrivateKey, W?: PrivateKey } = {}, options: { abandonAfterMs?: number } = {}): Promise<Pair> {
  const B = players.B ?? await generateKeyPair('Ed25519')
  const W = players.W ?? await generateKeyPair('Ed25519')
  const time = new FakeTime()
  const record = {
    terms: { ...defaultTerms, ...terms },
    black: peerIdFromPrivateKey(B).toMultihash().bytes,
    white: peerIdFromPrivateKey(W).toMultihash().bytes,
    nonce: crypto.getRandomValues(new Uint8Array(16)),
    created: time.now(),
    names: { B: 'Black player', W: 'White player' }
  }
  const body = startToSign(record)
  const start: SignedStart = { ...record, sigs: { B: (await sign(B, START_DOMAIN, body)).sig, W: (await sign(W, START_DOMAIN, body)).sig } }
  const gameId = gameIdOf(record)
  const keys = { B: B.publicKey, W: W.publicKey }
  return {
    black: new GameSession({ start, gameId, me: 'B', key: B, keys, now: time.now, ...options }),
    white: new GameSession({ start, gameId, me: 'W', key: W, keys, now: time.now, ...options }),
    keys: { B, W },
    start,
    time
  }
}

/** Delivers every unacknowledged act of `from` to `to` and acknowledges them, as the protocol would. */
export async function deliver (from: GameSession, to: GameSession): Promise<void> {
  for (const act of from.unacked) await to.receive(act)
  from.acknowledge(to.have)
}

/** Delivers both ways until neither side has anything left to send. */
export async function settle (a: GameSession, b: GameSession): Promise<void> {
  while (a.unacked.length > 0 || b.unacked.length > 0) {
    await deliver(a, b)
    await deliver(b, a)
  }
}
