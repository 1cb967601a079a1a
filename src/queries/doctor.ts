// `p2pgo doctor`'s facts, read from a running node through its public API, and the answer a script
// reads (`--json`). The judgement (reach word, advice, exit status) is pure, in doctor-advice.ts.
import { networkInterfaces } from 'node:os'
import { RELAY_V2_HOP_CODEC } from '@libp2p/circuit-relay-v2'
import { peerIdFromString } from '@libp2p/peer-id'
import { dualDhtOf } from '../net/dht/dual-dht.js'
import { isPublicAddress } from '../net/reach.js'
import { addressScope } from './reach-text.js'
import { adviceOf, canPlay, doctorReach, doctorReachText, settled, type DoctorFacts, type DoctorReach, type RelayFact, type RendezvousFact } from './doctor-advice.js'
import type { P2pgoNode } from '../net/node.js'
import type { RelayState } from '../net/relay-choice/index.js'

/** How long one relay ping may take before its round trip is reported as null. */
export const RELAY_PING_TIMEOUT_MS = 5_000
/** The longest `p2pgo doctor` waits for a node it started to find its place (it stops earlier once the facts settle). */
export const DOCTOR_WAIT_MS = 15_000

/** `p2pgo doctor --json`: a public contract (add fields, never rename). */
export interface DoctorAnswer {
  readonly reach: DoctorReach
  /** The status line's words for the same thing. */
  readonly reachText: string
  /**
   * `type`: the mapping behaviour from STUN. `double`: another NAT beyond the router (its UPnP
   * external address, `gatewayAddress`, is private or shared space while STUN sees a public one);
   * null when it cannot be told (no UPnP gateway answered).
   */
  readonly nat: { readonly type: string | null, readonly publicAddresses: readonly string[], readonly reason: string | null, readonly double: boolean | null, readonly gatewayAddress: string | null }
  readonly upnp: { readonly ok: boolean | null, readonly mapped: string | null }
  readonly ipv4: { readonly listening: boolean }
  readonly ipv6: { readonly globalAddress: boolean, readonly listening: boolean }
  readonly relays: readonly RelayFact[]
  readonly dht: { readonly lan: number, readonly wan: number }
  readonly rendezvous: RendezvousFact | null
  readonly peerCache: number | null
  readonly peers: number
  readonly canPlay: boolean
  readonly advice: readonly string[]
}

/** The rendezvous's state (protocols/rendezvous.md), or null when this node runs none. */
export function rendezvousOf (node: P2pgoNode): RendezvousFact | null {
  return node.rendezvous?.state() ?? null
}

/** Whether this machine has a global IPv6 address (not loopback, link-local or unique-local). */
export function hasGlobalIpv6 (): boolean {
  return Object.values(networkInterfaces()).flat().some(i => i != null && i.family === 'IPv6' && !i.internal && /^[23]/.test(i.address))
}

const own = (addresses: readonly string[]): string[] => addresses.filter(a => !a.includes('/p2p-circuit'))

/** The relays this node knows: those holding its reservations, those the relay choice measured, and connected peers that offer relaying. */
async function relayPeers (node: P2pgoNode, chosen: readonly string[], measured: readonly RelayState[]): Promise<string[]> {
  const out = new Set([...chosen, ...measured.map(r => r.peer)])
  for (const peer of node.libp2p.getPeers()) {
    const known = await node.libp2p.peerStore.get(peer).catch(() => undefined)
    if (known?.protocols.includes(RELAY_V2_HOP_CODEC) === true) out.add(peer.toString())
  }
  return [...out]
}

/** Pings a relay gets before it is said not to answer: a stream can close under one while connections settle. */
const PING_TRIES = 3

/** A relay's round trip in ms: the first of up to PING_TRIES pings that is answered, all within RELAY_PING_TIMEOUT_MS; else the last error. */
async function roundTrip (node: P2pgoNode, peer: string): Promise<number | Error> {
  const signal = AbortSignal.timeout(RELAY_PING_TIMEOUT_MS)
  let last = new Error('no ping was sent')
  for (let i = 0; i < PING_TRIES && !signal.aborted; i++) {
    try {
      return Math.round(await node.libp2p.services.ping.ping(peerIdFromString(peer), { signal }))
    } catch (err) {
      last = err as Error
    }
  }
  return last
}

/**
 * Each relay's round trip by libp2p ping now (null when it did not answer within
 * RELAY_PING_TIMEOUT_MS), with the relay choice's last measurement: the load the relay reported,
 * its score, refusals met there, whether the choice wants a slot on it.
 */
async function relayFacts (node: P2pgoNode, chosen: readonly string[], ping: boolean): Promise<RelayFact[]> {
  const measured = node.libp2p.services.relayChoice?.state() ?? []
  const byPeer = new Map(measured.map(r => [r.peer, r]))
  const peers = await relayPeers(node, chosen, measured)
  return Promise.all(peers.map(async peer => {
    const rtt = ping ? await roundTrip(node, peer) : null
    const choice = byPeer.get(peer)
    return {
      peer,
      rttMs: typeof rtt === 'number' ? rtt : null,
      ...(rtt instanceof Error ? { pingError: rtt.message } : {}),
      reservations: choice?.reservations ?? null,
      circuits: choice?.circuits ?? null,
      chosen: chosen.includes(peer),
      ...(choice != null ? { score: choice.score, refusals: choice.refusals, preferred: choice.chosen } : {})
    }
  }))
}

/** What the node knows now; `ping` measures the relays' round trips (skip it while waiting). */
export async function doctorFacts (node: P2pgoNode, options: { ping: boolean }): Promise<DoctorFacts> {
  const self = node.self()
  const facts = node.networkFacts()
  const nat = node.natType?.classification()
  const double = node.natType?.doubleNat()
  const mapped = self.reach === 'upnp' ? own(self.addresses).find(isPublicAddress) ?? null : null
  return {
    ...(self.reach != null ? { reach: self.reach } : {}),
    ...(self.relays[0] != null ? { relay: self.relays[0] } : {}),
    scope: addressScope(self.addresses, isPublicAddress),
    relaySlots: node.relaySlots(),
    nat: nat != null ? { type: nat.type, publicAddresses: nat.publicAddresses, reason: nat.reason, ...(double != null ? { double } : {}) } : null,
    stunServers: node.stunServers().length,
    upnp: { enabled: node.libp2p.services.upnp != null, mapped },
    ipv4: { listening: own(self.addresses).some(a => a.startsWith('/ip4/')) },
    ipv6: { globalAddress: hasGlobalIpv6(), listening: own(self.addresses).some(a => a.startsWith('/ip6/')) },
    relays: await relayFacts(node, self.relays, options.ping),
    dht: dualDhtOf(node.libp2p.services).sizes(),
    rendezvous: rendezvousOf(node),
    peerCache: node.peerCache?.size() ?? null,
    peers: facts.connections,
    bootstrap: facts.bootstrap,
    mdns: facts.mdns
  }
}

/** The answer from the facts. */
export function doctorAnswerOf (f: DoctorFacts): DoctorAnswer {
  return {
    reach: doctorReach(f),
    reachText: doctorReachText(f),
    nat: {
      ...(f.nat != null ? { type: f.nat.type, publicAddresses: f.nat.publicAddresses, reason: f.nat.reason } : { type: null, publicAddresses: [], reason: null }),
      double: f.nat?.double?.double ?? null,
      gatewayAddress: f.nat?.double?.gatewayAddress ?? null
    },
    upnp: { ok: f.upnp.enabled ? f.upnp.mapped != null : null, mapped: f.upnp.mapped },
    ipv4: f.ipv4,
    ipv6: f.ipv6,
    relays: f.relays,
    dht: f.dht,
    rendezvous: f.rendezvous,
    peerCache: f.peerCache,
    peers: f.peers,
    canPlay: canPlay(f),
    advice: adviceOf(f)
  }
}

/**
 * The doctor's answer about `node`: waits (up to `waitMs`, polling) until the facts settle or the
 * signal ends the wait, then pings the relays. A node long up (asked over its control socket) is
 * answered at once.
 */
export async function doctorAnswer (node: P2pgoNode, options: { waitMs?: number, signal?: AbortSignal } = {}): Promise<DoctorAnswer> {
  const deadline = Date.now() + (options.waitMs ?? 0)
  // The NAT probe answers within its own bound (nat-type/constants.ts); waiting for it here costs nothing more.
  await node.natType?.known()
  while (Date.now() < deadline && options.signal?.aborted !== true) {
    const probed = node.natType == null || node.natType.classification() != null
    if (settled(await doctorFacts(node, { ping: false }), probed)) break
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  return doctorAnswerOf(await doctorFacts(node, { ping: true }))
}
