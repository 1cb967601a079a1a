// One typed event surface for everything a player or a script sees of a node: the terminal
// client, the NDJSON stream (`--json-events`) and the control socket all read these, never the
// services underneath. Values are plain (peer IDs and game IDs as text).
import type { P2pgoNodeServices } from './node-services.js'
import type { Rung } from './rung.js'
import type { RatedSize } from '../rating/rating-record.js'
import type { FixedRating } from '../rating/trueskill.js'
import type { Libp2p } from '@libp2p/interface'

/**
 * The node's events, in the shape the NDJSON stream and the terminal client show them, each
 * with a `type` when written out.
 */
export interface NodeEvents {
  listening: CustomEvent<{ addresses: string[] }>
  /** The addresses others can dial changed (a relay reservation, a UPnP mapping, a confirmed address). */
  addresses: CustomEvent<{ addresses: string[] }>
  'peer:connected': CustomEvent<{ peer: string, rung: Rung, address: string, rttMs?: number }>
  'peer:disconnected': CustomEvent<{ peer: string }>
  'game:started': CustomEvent<{ gameId: string, opponent: string, color: 'B' | 'W', size: number, rung: Rung | null }>
  'game:path': CustomEvent<{ gameId: string, from: Rung | null, to: Rung }>
  'game:move': CustomEvent<{ gameId: string, by: 'B' | 'W', ply: number, move: string, mine: boolean }>
  'game:chat': CustomEvent<{ gameId: string, from: 'B' | 'W', text: string }>
  /** The opponent proposed a marking of dead stones, or asked to take back a move: the player is asked. */
  'game:proposal': CustomEvent<{ gameId: string, kind: 'mark' | 'undo-request' }>
  'game:ended': CustomEvent<{ gameId: string, result: string, cosigned: boolean, rung: Rung | null }>
  /** The game holds the player no longer though the opponent never signed its end (a flag claimed, an abandonment, an unsigned end): unrated. */
  'game:closed': CustomEvent<{ gameId: string, result: string, reason: 'flag' | 'abandoned' | 'unsigned' }>
  /** A game on the relay (or a punched hole) tried for a better path: once on arrival there, then every DIRECT_RETRY_MS. */
  'game:upgrade': CustomEvent<{ peer: string, gameId: string, from: Rung, ok: boolean, ms: number, rung?: Rung }>
  delivery: CustomEvent<{ peer: string, gameId: string, method: Rung, ok: boolean, latencyMs?: number, error?: string }>
  rejected: CustomEvent<{ peer: string, reason: string, message: string, source: 'game' | 'challenge' | 'lobby' | 'rna', gameId?: string, via?: 'mailbox' }>
  /** A game's acts (numbers) and ack left with the opponent's holders, since it could not be reached (protocols/game.md, "Acts through the mailbox"). */
  'game:mail': CustomEvent<{ gameId: string, opponent: string, acts: number[], ack?: number, held: string[], ok: boolean, error?: string }>
  /** A new RNA (a finished game as training data) arrived, was checked and kept. */
  rna: CustomEvent<{ id: string, origin: string, from: string, quality: number, handling: 'priority' | 'forward' | 'ignore' }>
  /** This node published one of its own finished games as RNA (and holds it). */
  'rna:published': CustomEvent<{ id: string, gameId: string, quality: number }>
  /** The player's rating on a size changed through a co-signed result (`result` is its CID). */
  rating: CustomEvent<{ gameId: string, size: RatedSize, before: FixedRating, after: FixedRating, result: string }>
}

type Emit = <K extends keyof NodeEvents>(type: K, detail: NodeEvents[K]['detail']) => void

/**
 * Turns libp2p's and the services' events into the node's plain ones, and starts the game a
 * co-signed start record makes, whichever side proposed.
 */
export function forwardNodeEvents (libp2p: Libp2p<P2pgoNodeServices>, emit: Emit): void {
  const { games, challenge, lobby, peers, ratings, rna } = libp2p.services
  peers.addEventListener('peer:connected', e => { emit('peer:connected', e.detail) })
  let announced = ''
  libp2p.addEventListener('self:peer:update', () => {
    const addresses = libp2p.getMultiaddrs().map(ma => ma.toString())
    const key = addresses.join(' ')
    if (key === announced || libp2p.status !== 'started') return
    announced = key
    emit('addresses', { addresses })
  })
  libp2p.addEventListener('peer:disconnect', e => { emit('peer:disconnected', { peer: e.detail.toString() }) })
  games.addEventListener('game:started', e => { emit('game:started', { ...e.detail, gameId: e.detail.gameId.toString(), opponent: e.detail.opponent.toString() }) })
  games.addEventListener('game:move', e => { emit('game:move', { ...e.detail, gameId: e.detail.gameId.toString() }) })
  games.addEventListener('game:chat', e => { emit('game:chat', { ...e.detail, gameId: e.detail.gameId.toString() }) })
  games.addEventListener('game:proposal', e => { emit('game:proposal', { ...e.detail, gameId: e.detail.gameId.toString() }) })
  games.addEventListener('game:path', e => { emit('game:path', { ...e.detail, gameId: e.detail.gameId.toString() }) })
  games.addEventListener('game:ended', e => { emit('game:ended', { ...e.detail, gameId: e.detail.gameId.toString() }) })
  games.addEventListener('game:closed', e => { emit('game:closed', { ...e.detail, gameId: e.detail.gameId.toString() }) })
  games.addEventListener('game:mail', e => { emit('game:mail', { ...e.detail, gameId: e.detail.gameId.toString(), opponent: e.detail.opponent.toString() }) })
  games.addEventListener('upgrade', e => { emit('game:upgrade', { ...e.detail, peer: e.detail.peer.toString(), gameId: e.detail.gameId.toString() }) })
  games.addEventListener('delivery', e => {
    const { peer, gameId, ...rest } = e.detail
    emit('delivery', { ...rest, peer: peer.toString(), gameId: gameId.toString() })
  })
  games.addEventListener('rejected', e => {
    const { peer, gameId, ...rest } = e.detail
    emit('rejected', { ...rest, peer: peer.toString(), source: 'game', ...(gameId != null ? { gameId: gameId.toString() } : {}) })
  })
  challenge.addEventListener('rejected', e => { emit('rejected', { ...e.detail, peer: e.detail.peer.toString(), source: 'challenge' }) })
  lobby.addEventListener('rejected', e => { emit('rejected', { ...e.detail, peer: e.detail.peer.toString(), source: 'lobby' }) })
  rna.addEventListener('rna:rejected', e => { emit('rejected', { ...e.detail, source: 'rna' }) })
  rna.addEventListener('rna:accepted', e => { emit('rna', e.detail) })
  rna.addEventListener('rna:published', e => { emit('rna:published', e.detail) })
  ratings.addEventListener('rating', e => {
    const { gameId, result, ...rest } = e.detail
    emit('rating', { ...rest, gameId: gameId.toString(), result: result.toString() })
  })
  // A co-signed start record becomes a game on this node, whichever side proposed.
  challenge.addEventListener('game', e => {
    games.startGame(e.detail).catch(err => {
      emit('rejected', { peer: e.detail.opponent.toString(), reason: 'game-start-failed', message: (err as Error).message, source: 'challenge' })
    })
  })
}
