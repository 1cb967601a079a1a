// A DHT lookup for rating records where reputation decides whom to ask first and whose answer
// to believe (protocols/reputation.md, "The reputation-weighted DHT"; the choice is src/rating/answer-choice.ts),
// and which stops as soon as the answers settle (protocols/rating.md, "Reading"; the rule is lookup-settle.ts).
import { peerIdFromString } from '@libp2p/peer-id'
import { closestKnown, onePeerGet, onePeerPut } from '../adapters/kad-dht-internals.js'
import { askFirst, chooseAnswer, settles, STRANGER_TRUST, type Answer } from '../../rating/answer-choice.js'
import { CORRECTION_TIMEOUT, FIRST_ROUND, FIRST_ROUND_GRACE_MS, settlement, staleHolders } from './lookup-settle.js'
import type { KadDHT, QueryEvent } from '@libp2p/kad-dht'
import type { DualDht } from '../dht/dual-dht.js'
import type { AbortOptions, Logger } from '@libp2p/interface'

/**
 * How a lookup decides: `weighted` asks the most trusted connected peers and the peers closest to
 * the key in the routing table first, and walks only when their answers do not settle it; it
 * stops at the first valid answer from a trusted peer, or once three distinct peers (not
 * distrusted) agree on the newest sequence heard (else it walks to the end); `first` stops at the first valid answer
 * from anyone (reputation ignored, as a latency-minded client does); `full` walks to the end
 * (kad-dht's own `get`). Whenever it stops, the newest valid answer heard is believed. The node's
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
  /**
   * The node's own stored copy, read as the lookup starts (kad-dht reports it only when its walk
   * ends, which a lookup that stops early never sees). Without it, the own copy counts when kad-dht reports it.
   */
  readonly local?: () => Promise<Uint8Array | undefined>
  /** Ends the corrections sent after an early stop (they outlive the lookup): the service's signal. */
  readonly background?: AbortSignal
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
  /** What settled it: a trusted peer's answer, peers agreeing on the newest sequence, or the first answer (mode `first`). */
  readonly settledBy?: 'trusted' | 'agreement' | 'first'
  /** The valid answers counted, in the order heard (the node's own copy as `self`). */
  readonly heard: ReadonlyArray<{ readonly peer: string, readonly seq: number }>
  /** The trusted peers asked directly. */
  readonly askedFirst: readonly string[]
  /**
   * How many steps from this node the believed answer came: 0 for its own copy, 1 for a peer it
   * asked directly (the first round, or one the walk started from), n + 1 for a peer it learned
   * of from a step-n peer's closer peers. Absent when nothing was believed.
   */
  readonly hops?: number
  /**
   * After an early stop, the peers that answered an older record and took the newest from this
   * node (kad-dht's own walk corrects them only when it runs to the end); resolves, never rejects.
   */
  readonly corrections: Promise<readonly string[]>
}

interface Heard extends Answer {
  readonly value: Uint8Array
  readonly own: boolean
  /** The DHT the answer came through (a correction goes back through it). */
  readonly via?: KadDHT
}

/** Looks a key up in the DHT as `options.mode` says. */
export async function lookup (dual: DualDht, key: Uint8Array, options: LookupOptions): Promise<LookupResult> {
  const { mode } = options
  const trust = mode === 'weighted' ? options.trust : () => STRANGER_TRUST
  const stop = new AbortController()
  const signal = AbortSignal.any([stop.signal, ...(options.signal != null ? [options.signal] : [])])
  const answers: Heard[] = []
  let refused = 0
  let settledBy: LookupResult['settledBy']
  let ownSeen = false

  const settle = (by: NonNullable<LookupResult['settledBy']>): void => {
    settledBy = by
    stop.abort()
  }

  const consider = async (peer: string, value: Uint8Array, own: boolean, via?: KadDHT): Promise<void> => {
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
    const answer: Heard = { peer, seq, trust: own ? STRANGER_TRUST : trust(peer), value, own, ...(via != null ? { via } : {}) }
    if (settledBy != null) return
    // A peer asked twice (in the first round and again by the walk, or in both DHTs) is one answer: its newest.
    const prior = answers.findIndex(a => a.peer === peer && a.own === own)
    if (prior >= 0 && answers[prior].seq >= seq) return
    if (prior >= 0) answers.splice(prior, 1)
    answers.push(answer)
    if (own || mode === 'full') return
    if (mode === 'first') settle('first')
    else if (settles(answer)) settle('trusted')
    else if (settlement(answers.map(a => ({ peer: a.peer, seq: a.seq, counts: !a.own && a.trust >= STRANGER_TRUST }))).settled) settle('agreement')
  }

  // Steps from this node: a peer named as closer by a step-n peer is step n + 1 (the first time it is named).
  const depth = new Map<string, number>()
  const watch = async (events: AsyncIterable<QueryEvent>, via: KadDHT): Promise<void> => {
    try {
      for await (const event of events) {
        if (event.name === 'PEER_RESPONSE') {
          const d = depth.get(event.from.toString()) ?? 1
          depth.set(event.from.toString(), d)
          for (const closer of event.closer) if (!depth.has(closer.id.toString())) depth.set(closer.id.toString(), d + 1)
        }
        // Only answers to GET_VALUE: a PUT_VALUE reply is the echo of kad-dht's correction, the record already chosen.
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'GET_VALUE' && event.record != null) await consider(event.from.toString(), event.record.value, false, via)
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

  const own = await options.local?.().catch(err => { options.log('could not read the own stored copy - %e', err) })
  if (own != null) {
    ownSeen = true
    await consider(options.self, own, true)
  }
  const first = mode === 'weighted' ? askFirst(options.connected(), trust) : []
  const path = { index: -1, queued: 0, running: 0, total: 0 }
  const dhts = await dual.active({ signal })
  // First round, in each DHT that knows someone (a peer serves the LAN DHT, the WAN one or both;
  // a DHT it does not serve fails at once): the trusted peers, and in `weighted` mode the peers
  // closest to the key that the routing table knows, which hold the record when the table is
  // good (kad-dht would ask the 20 closest at once). Only if their answers do not settle the
  // lookup, or they take longer than FIRST_ROUND_GRACE_MS, does kad-dht's walk run.
  const round = dhts.map(async dht => {
    const near = mode === 'weighted' ? (await closestKnown(dht)(key, FIRST_ROUND)).map(p => p.toString()).filter(p => !first.includes(p) && p !== options.self) : []
    const asked = [...first, ...near]
    if (asked.length === 0) return
    for (const peer of asked) depth.set(peer, 1)
    const getFrom = onePeerGet(dht)
    await Promise.all(asked.map(async peer => watch(getFrom(peerIdFromString(peer), key, { signal, path }), dht)))
  })
  await graceOf(Promise.all(round), mode === 'weighted' ? FIRST_ROUND_GRACE_MS : 0)
  if (settledBy == null) await Promise.all(dhts.map(async dht => watch(dht.get(key, { signal }), dht)))
  await Promise.all(round)
  options.signal?.throwIfAborted()
  // Whatever ended the lookup, the newest valid answer heard is believed (trust only breaks a tie).
  const chosen = chooseAnswer(answers)
  const answer = chosen != null ? answers[chosen] : undefined
  return {
    ...(answer != null ? { value: answer.value, from: answer.peer } : {}),
    answers: answers.length,
    refused,
    settled: settledBy != null,
    ...(settledBy != null ? { settledBy } : {}),
    heard: answers.map(a => ({ peer: a.peer, seq: a.seq })),
    askedFirst: first,
    ...(answer != null ? { hops: answer.own ? 0 : depth.get(answer.peer) ?? 1 } : {}),
    corrections: settledBy != null && answer != null ? correct(key, answer, answers, options) : Promise.resolve([])
  }
}

/** Waits for `work`, or `ms` at most (its rejection is the caller's to see, where it awaits it again). */
async function graceOf (work: Promise<unknown>, ms: number): Promise<void> {
  if (ms <= 0) return
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await Promise.race([work.catch(() => {}), new Promise<void>(resolve => { timer = setTimeout(resolve, ms) })])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Sends the record believed to every remote peer that answered an older one, as kad-dht does
 * after a walk it ran to the end (a lookup that stopped early cut that step off). The peers that took it.
 */
async function correct (key: Uint8Array, chosen: Heard, answers: readonly Heard[], options: LookupOptions): Promise<readonly string[]> {
  const stale = staleHolders(answers, chosen.seq)
  const signal = AbortSignal.any([AbortSignal.timeout(CORRECTION_TIMEOUT), ...(options.background != null ? [options.background] : [])])
  const took = await Promise.all(stale.map(async peer => {
    const via = answers.find(a => a.peer === peer && a.via != null)?.via
    if (via == null) return undefined
    try {
      if (await onePeerPut(via)(peerIdFromString(peer), key, chosen.value, { signal })) return peer
      options.log('%s did not take the newer record (seq %d)', peer, chosen.seq)
    } catch (err) {
      options.log('could not correct the outdated copy of %s - %e', peer, err)
    }
    return undefined
  }))
  return took.filter((p): p is string => p != null)
}
