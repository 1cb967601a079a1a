import { RELAY_V2_HOP_CODEC } from '@libp2p/circuit-relay-v2'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { TypedEventEmitter } from 'main-event'
import { relayOf } from '../address-order.js'
import { raceSignal } from '../race-signal.js'
import { circuitRelayTransportOf, steerReservations, type RelayReservations } from '../adapters/circuit-relay-reservations.js'
import { MAX_RELAY_CANDIDATES, PINGS_PER_MEASURE, RELAY_CHOICE_FIRST_DELAY, RELAY_CHOICE_INTERVAL, RELAY_MEASURE_TIMEOUT, RELAY_MOVE_TIMEOUT } from './constants.js'
import { RefusalLog } from './refusal-log.js'
import { chooseRelays, createRelayScoreParams, relayScore, type RelayChoice, type RelayLoadReport, type RelayMeasure, type RelayMove, type RelayScoreParams } from './score.js'
import type { RelayChoiceComponents, RelayChoiceEvents, RelayChoiceInit, RelayState } from './index.js'
import type { Logger, PeerId, Startable } from '@libp2p/interface'

interface Measured { readonly measure: RelayMeasure, readonly score: number }

/** See `relayChoice()` in index.ts. */
export class RelayChoiceService extends TypedEventEmitter<RelayChoiceEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:relay-choice'
  private readonly components: RelayChoiceComponents
  private readonly init: RelayChoiceInit
  private readonly log: Logger
  private readonly params: RelayScoreParams
  private readonly now: () => number
  private readonly refusals: RefusalLog
  private reservations: RelayReservations | undefined
  private chosen = new Set<string>()
  private measured = new Map<string, Measured>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private controller: AbortController | undefined
  private running: Promise<RelayChoice> | undefined

  constructor (components: RelayChoiceComponents, init: RelayChoiceInit) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('p2pgo:relay-choice')
    this.params = createRelayScoreParams(init.params)
    this.now = init.now ?? Date.now
    this.refusals = new RefusalLog(this.now)
  }

  async start (): Promise<void> {
    if (this.controller != null || this.init.slots <= 0) return
    const transport = circuitRelayTransportOf(this.components.transportManager)
    if (transport == null) return
    try {
      this.reservations = steerReservations(transport, {
        admit: peer => this.admit(peer),
        onReserved: peer => { this.log('reservation held on relay %s', peer) },
        onFailed: (peer, err) => {
          this.refusals.add(peer)
          this.log('relay %s refused or failed a reservation - %e', peer, err)
        }
      })
    } catch (err) {
      // libp2p chooses relays by itself then, as it did before this service.
      this.log.error('cannot steer relay reservations, libp2p takes the first relays it meets - %e', err)
      return
    }
    this.controller = new AbortController()
    this.schedule(this.init.firstDelay ?? RELAY_CHOICE_FIRST_DELAY)
  }

  async stop (): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    this.controller?.abort()
    this.controller = undefined
    await this.running?.catch(() => {})
    this.reservations?.release()
    this.reservations = undefined
    this.chosen.clear()
  }

  /** The relays measured, held, chosen or refusing, best score first: what `p2pgo doctor` shows. */
  state (): RelayState[] {
    const held = new Set(this.reservations?.held() ?? [])
    const peers = new Set([...this.measured.keys(), ...held, ...this.chosen, ...this.refusals.peers()])
    const score = (peer: string): number => this.measured.get(peer)?.score ?? Infinity
    return [...peers].sort((a, b) => score(a) - score(b)).map(peer => {
      const m = this.measured.get(peer)
      return {
        peer,
        rttMs: m?.measure.rttMs ?? null,
        reservations: m?.measure.load?.reservations ?? null,
        circuits: m?.measure.load?.circuits ?? null,
        chosen: this.chosen.has(peer),
        held: held.has(peer),
        score: m != null && Number.isFinite(m.score) ? Math.round(m.score) : null,
        refusals: this.refusals.count(peer)
      }
    })
  }

  /**
   * One round now: measure the candidates, choose, fill free slots and move those that should
   * move (each move awaited). A round already running is joined.
   */
  async evaluate (): Promise<RelayChoice> {
    const signal = this.controller?.signal
    if (signal == null || this.reservations == null) return { chosen: [], fills: [], moves: [] }
    this.running ??= this.round(this.reservations, signal).finally(() => { this.running = undefined })
    return await this.running
  }

  private schedule (delay: number): void {
    if (this.controller == null) return
    this.timer = setTimeout(() => {
      this.evaluate()
        .catch(err => { this.log.error('relay choice round failed - %e', err) })
        .finally(() => { this.schedule(this.init.interval ?? RELAY_CHOICE_INTERVAL) })
    }, delay)
    this.timer.unref?.()
  }

  /**
   * Whether libp2p may take a new slot on a discovered relay: yes before any choice, for a chosen
   * relay, and whenever no chosen relay is waiting for a slot (connected, not held, no recent
   * refusal). A node is never left short of relays because of the choice.
   */
  private admit (peer: string): boolean {
    if (this.chosen.size === 0 || this.chosen.has(peer)) return true
    const held = new Set(this.reservations?.held() ?? [])
    const waiting = [...this.chosen].some(c => !held.has(c) && this.refusals.count(c) === 0 && this.connected(c))
    if (waiting) this.log.trace('declining relay %s: a chosen relay waits for the slot', peer)
    return !waiting
  }

  /** Whether this node has a connection of its own to the peer (not through a relay: no reservation is made over one). */
  private connected (peer: string): boolean {
    return this.components.connectionManager.getConnections(peerIdFromString(peer)).some(c => relayOf(c.remoteAddr) == null)
  }

  private async round (reservations: RelayReservations, signal: AbortSignal): Promise<RelayChoice> {
    const held = reservations.held()
    const candidates = await this.candidates(held, signal)
    const measured = new Map<string, Measured>()
    await Promise.all([...candidates].map(async ([peer, target]) => {
      const measure = await this.measure(peer, target, signal)
      if (measure != null) measured.set(peer, { measure, score: relayScore(measure, this.params) })
    }))
    signal.throwIfAborted()
    this.measured = measured
    const scores = new Map([...measured].map(([peer, m]) => [peer, m.score]))
    const choice = chooseRelays(scores, held, this.init.slots, this.params)
    const moves: RelayMove[] = []
    const deferred: RelayMove[] = []
    const chosen = new Set(choice.chosen)
    for (const move of choice.moves) {
      const opponents = this.opponentsThrough(move.from)
      if (opponents.length === 0) {
        moves.push(move)
        continue
      }
      // The game's connection runs over the old relay: the slot stays until the game is over.
      deferred.push(move)
      chosen.delete(move.to)
      chosen.add(move.from)
      this.log('not moving the slot on relay %s to %s yet: a game with %s runs through it', move.from, move.to, opponents.join(', '))
      this.safeDispatch('relay-choice:deferred', { ...move, opponents })
    }
    this.chosen = chosen
    this.log('relays chosen: %s (held: %s)', [...chosen].join(', '), held.join(', '))
    this.safeDispatch('relay-choice:evaluated', { chosen: [...chosen], moves, deferred })
    for (const fill of choice.fills) {
      if (reservations.free() === 0) break
      // libp2p's reservation queue takes no signal and may hold a request behind others: the round
      // (and a stop) waits RELAY_MOVE_TIMEOUT at most; the reservation may still land later.
      const bounded = AbortSignal.any([signal, AbortSignal.timeout(RELAY_MOVE_TIMEOUT)])
      await raceSignal(reservations.reserve(peerIdFromString(fill)), bounded).catch(err => { this.log('could not reserve on relay %s - %e', fill, err) })
    }
    for (const move of moves) {
      await this.move(reservations, move, signal).catch(err => { this.log('could not move the slot on relay %s to %s - %e', move.from, move.to, err) })
    }
    return { chosen: [...chosen], fills: choice.fills, moves }
  }

  /** Peers with a game in progress whose connection to this node runs through the relay's circuit. */
  private opponentsThrough (relay: string): string[] {
    const playing = this.init.playing
    if (playing == null) return []
    const out = new Set<string>()
    for (const c of this.components.connectionManager.getConnections()) {
      if (relayOf(c.remoteAddr) === relay && playing(c.remotePeer.toString())) out.add(c.remotePeer.toString())
    }
    return [...out]
  }

  /**
   * Moves a slot: connects the new relay, closes the connections to the old one (this library
   * frees a reservation only with its connection: reservation-store.js, 'connection:close'), and
   * reserves on the new one once the slot is free.
   */
  private async move (reservations: RelayReservations, move: RelayMove, signal: AbortSignal): Promise<void> {
    const bounded = AbortSignal.any([signal, AbortSignal.timeout(RELAY_MOVE_TIMEOUT)])
    const to = peerIdFromString(move.to)
    await this.components.connectionManager.openConnection(to, { signal: bounded })
    await this.components.connectionManager.closeConnections(peerIdFromString(move.from), { signal: bounded })
    while (reservations.held().includes(move.from) || reservations.free() === 0) {
      bounded.throwIfAborted()
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    if (!reservations.held().includes(move.to)) await raceSignal(reservations.reserve(to), bounded)
    this.log('moved a slot from relay %s to %s', move.from, move.to)
    this.safeDispatch('relay-choice:moved', move)
  }

  /** The peers to measure, at most MAX_RELAY_CANDIDATES: held relays, bootstrap peers, relays the DHT advertises, hop peers in the peer store. */
  private async candidates (held: readonly string[], signal: AbortSignal): Promise<Map<string, PeerId | Multiaddr>> {
    const self = this.components.peerId.toString()
    const out = new Map<string, PeerId | Multiaddr>()
    const add = (peer: string, target: PeerId | Multiaddr): void => {
      if (out.size < MAX_RELAY_CANDIDATES && peer !== self && !out.has(peer)) out.set(peer, target)
    }
    for (const peer of held) add(peer, peerIdFromString(peer))
    for (const address of this.init.bootstrap ?? []) {
      try {
        const ma = multiaddr(address)
        const peer = ma.getComponents().filter(c => c.name === 'p2p').pop()?.value
        if (peer != null) add(peer, ma)
      } catch (err) {
        this.log('ignoring bootstrap address %s - %e', address, err)
      }
    }
    if (this.init.findRelays != null && out.size < MAX_RELAY_CANDIDATES) {
      const bounded = AbortSignal.any([signal, AbortSignal.timeout(RELAY_MEASURE_TIMEOUT)])
      try {
        for await (const found of this.init.findRelays({ signal: bounded, max: MAX_RELAY_CANDIDATES })) {
          if (out.size >= MAX_RELAY_CANDIDATES) break
          await this.components.peerStore.merge(found.id, { multiaddrs: found.multiaddrs })
          add(found.id.toString(), found.id)
        }
      } catch (err) {
        if (!signal.aborted) this.log('finding relays in the DHT failed - %e', err)
      }
    }
    if (out.size < MAX_RELAY_CANDIDATES) {
      const hop = await this.components.peerStore.all({ filters: [p => p.protocols.includes(RELAY_V2_HOP_CODEC)] })
      // Connected ones first: measuring them costs no dial.
      hop.sort((a, b) => Number(this.connected(b.id.toString())) - Number(this.connected(a.id.toString())))
      for (const p of hop) add(p.id.toString(), p.id)
    }
    return out
  }

  /** Round trip, load and standing of one candidate; undefined when it turns out not to relay. */
  private async measure (peer: string, target: PeerId | Multiaddr, signal: AbortSignal): Promise<RelayMeasure | undefined> {
    const bounded = AbortSignal.any([signal, AbortSignal.timeout(RELAY_MEASURE_TIMEOUT)])
    let rttMs: number | null = null
    for (let i = 0; i < PINGS_PER_MEASURE && !bounded.aborted; i++) {
      try {
        const rtt = await this.components.ping.ping(i === 0 ? target : peerIdFromString(peer), { signal: bounded })
        rttMs = rttMs == null ? rtt : Math.min(rttMs, rtt)
      } catch (err) {
        this.log.trace('relay %s did not answer a ping - %e', peer, err)
      }
    }
    const id = peerIdFromString(peer)
    const known = await this.components.peerStore.get(id).catch(() => undefined)
    // Answered but does not say it relays (identified without the hop protocol, or not identified yet): not a candidate this round.
    if (rttMs != null && known?.protocols.includes(RELAY_V2_HOP_CODEC) !== true) return undefined
    return {
      rttMs: rttMs != null ? Math.round(rttMs * 10) / 10 : null,
      load: rttMs != null ? await this.loadOf(id, bounded) : null,
      refusals: this.refusals.count(peer),
      trust: this.init.trust?.(peer) ?? 0.5
    }
  }

  /** The relay's own load report over a direct connection to it, or null (no report function, no answer, nonsense). */
  private async loadOf (peer: PeerId, signal: AbortSignal): Promise<RelayLoadReport | null> {
    if (this.init.load == null) return null
    const connection = this.components.connectionManager.getConnections(peer).find(c => c.limits == null)
    if (connection == null) return null
    try {
      return await this.init.load(connection, { signal })
    } catch (err) {
      this.log('relay %p sent no load report - %e', peer, err)
      return null
    }
  }

  private safeDispatch<K extends keyof RelayChoiceEvents> (type: K, detail: RelayChoiceEvents[K]['detail']): void {
    try {
      this.dispatchEvent(new CustomEvent(type, { detail }) as RelayChoiceEvents[K])
    } catch (err) {
      this.log.error('a %s listener threw - %e', type, err)
    }
  }
}
