// A DHT lookup for rating records where reputation decides whom to ask first and whose answer
// to believe (protocols/reputation.md, "The reputation-weighted DHT"; the choice is src/rating/answer-choice.ts).
import { peerIdFromString } from '@libp2p/peer-id'
import { onePeerGet } from '../adapters/kad-dht-internals.js'
import { askFirst, chooseAnswer, settles, type Answer } from '../../rating/answer-choice.js'
import type { QueryEvent } from '@libp2p/kad-dht'
import type { DualDht } from '../dht/dual-dht.js'
import type { AbortOptions, Logger } from '@libp2p/interface'

/**
 * How a lookup decides: `weighted` asks the most trusted connected peers first and stops at the
 * first valid answer from a trusted peer (else it walks on and believes the newest answer);
 * `first` stops at the first valid answer from anyone (reputation ignored, as a latency-minded
 * client does); `full` walks to the end and takes the newest (kad-dht's own `get`). The node's
 * own stored copy counts as an answer in each, but never stops a lookup.
 */
export type LookupMode = 'weighted' | 'first' | 'full'

export interface LookupOptions extends AbortOptions {
  readonly mode: LookupMode
  /** A peer's trust in [0, 1]. */
  readonly trust: (peer: string) => number
  /** Checks a value; returns its sequence number (higher is newer) or throws when it is invalid. */
  readonly check: (value: Uint8Array) => Promise<number>
  /** Peers connected now, candidates to ask first. */
  readonly connected: () => readonly string[]
  /** This node's peer ID: kad-dht reports a copy the node stores itself as a value from it. */
  readonly self: string
  readonly log: Logger
}

export interface LookupResult {
  readonly value?: Uint8Array
  /** Who gave the value believed. */
  readonly from?: string
  /** Valid answers received before the lookup settled or ended. */
  readonly answers: number
  /** Answers that did not check out (forged, stale, malformed). */
  readonly refused: number
  /** Whether an answer settled it before the walk ended. */
  readonly settled: boolean
  /** The trusted peers asked directly. */
  readonly askedFirst: readonly string[]
}

/** Looks a key up in the DHT as `options.mode` says. */
export async function lookup (dual: DualDht, key: Uint8Array, options: LookupOptions): Promise<LookupResult> {
  const { mode } = options
  const trust = mode === 'weighted' ? options.trust : () => 0.5
  const stop = new AbortController()
  const signal = AbortSignal.any([stop.signal, ...(options.signal != null ? [options.signal] : [])])
  const answers: Array<Answer & { value: Uint8Array }> = []
  let refused = 0
  let settledBy: number | undefined
  let ownSeen = false

  const consider = async (peer: string, value: Uint8Array, own = false): Promise<void> => {
    if (settledBy != null) return
    let seq: number
    try {
      seq = await options.check(value)
    } catch (err) {
      refused++
      options.log('answer from %s refused - %e', peer, err)
      return
    }
    // The node's own copy competes as a stranger's would: it may be outdated, so it never settles.
    const answer = { peer, seq, trust: own ? 0.5 : trust(peer), value }
    if (settledBy != null) return
    answers.push(answer)
    if (!own && (mode === 'first' || (mode === 'weighted' && settles(answer)))) {
      settledBy = answers.length - 1
      stop.abort()
    }
  }

  const watch = async (events: AsyncIterable<QueryEvent>): Promise<void> => {
    try {
      for await (const event of events) {
        // Only answers to GET_VALUE: a PUT_VALUE reply is the echo of kad-dht's correction, the record already chosen.
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'GET_VALUE' && event.record != null) await consider(event.from.toString(), event.record.value)
        // kad-dht keeps the node's own stored copy back until the walk ends, then gives the best value it saw: from itself when that copy was the best.
        else if (event.name === 'VALUE' && event.from.toString() === options.self && !ownSeen) {
          // Both DHTs read the same store: the own copy counts once.
          ownSeen = true
          await consider(options.self, event.value, true)
        }
        else if (event.name === 'QUERY_ERROR' && /invalid record/i.test(event.error.message)) refused++
      }
    } catch (err) {
      // A walk cut short by its own settling, or kad-dht's failed correction after it, changes nothing here.
      if (!signal.aborted) options.log('lookup stream ended - %e', err)
    }
  }

  const first = mode === 'weighted' ? askFirst(options.connected(), trust) : []
  const path = { index: -1, queued: 0, running: 0, total: 0 }
  // Each DHT that knows someone walks; the trusted peers are asked in each (a peer serves the LAN
  // DHT, the WAN one or both; a DHT it does not serve fails at once).
  const dhts = await dual.active({ signal })
  await Promise.all(dhts.flatMap(dht => {
    const getFrom = first.length > 0 ? onePeerGet(dht) : undefined
    return [
      ...first.map(async peer => watch(getFrom!(peerIdFromString(peer), key, { signal, path }))),
      watch(dht.get(key, { signal }))
    ]
  }))
  options.signal?.throwIfAborted()
  const chosen = settledBy ?? chooseAnswer(answers)
  const answer = chosen != null ? answers[chosen] : undefined
  return {
    ...(answer != null ? { value: answer.value, from: answer.peer } : {}),
    answers: answers.length,
    refused,
    settled: settledBy != null,
    askedFirst: first
  }
}
