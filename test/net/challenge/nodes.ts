import { generateKeyPair } from '@libp2p/crypto/keys'
import { createLibp2p, type Libp2p } from 'libp2p'
import { challenge, type ChallengeEvents, type ChallengeInit, type ChallengeService } from '../../../src/net/challenge/index.js'
import { libp2pDefaults, type NodeInit, type P2pgoServices } from '../../../src/net/libp2p-defaults.js'
import type { PrivateKey } from '@libp2p/interface'
import type { GameTerms } from '../../../src/wire/game-start.js'

/** A p2pgo node with the challenge service. */
export type ChallengeNode = Libp2p<P2pgoServices & { challenge: ChallengeService }>

/** A p2pgo node without it: the tests speak the protocol by hand from here. */
export type RawNode = Libp2p<P2pgoServices>

export const terms9: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'byo-yomi', mainMs: 30_000, periodMs: 10_000, periods: 5 } }
export const terms13: GameTerms = { size: 13, rules: 'japanese', komi: 6.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }

/** What a test may change in the node: more listen addresses, a relay server. */
export type NodeExtra = Partial<Omit<NodeInit, 'privateKey'>>

function config (privateKey: PrivateKey, extra: NodeExtra = {}): ReturnType<typeof libp2pDefaults> {
  // 127.0.0.1 only, private addresses kept, nothing that reaches off the machine (no mDNS, no UPnP).
  return libp2pDefaults({ privateKey, listen: ['/ip4/127.0.0.1/tcp/0'], privateNetwork: true, ...extra })
}

/** A node on loopback running the challenge service with `init`. */
export async function challengeNode (init: ChallengeInit = {}, extra: NodeExtra = {}, privateKey?: PrivateKey): Promise<ChallengeNode> {
  const defaults = config(privateKey ?? await generateKeyPair('Ed25519'), extra)
  const services = defaults.services
  if (services == null) throw new Error('libp2pDefaults gave no services')
  return createLibp2p({ ...defaults, services: { ...services, challenge: challenge(init) } })
}

/** A node on loopback without the challenge service; the test keeps `privateKey` to sign by hand. */
export async function rawNode (extra: NodeExtra = {}, privateKey?: PrivateKey): Promise<RawNode> {
  return createLibp2p(config(privateKey ?? await generateKeyPair('Ed25519'), extra))
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection (promise: Promise<unknown>): Promise<unknown> {
  return promise.then(value => { throw new Error(`expected a rejection, got ${String(value)}`) }, (err: unknown) => err)
}

/** Connects `a` to `b` so streams can be opened by peer ID. */
export async function connect (a: Libp2p<any>, b: Libp2p<any>): Promise<void> {
  await a.dial(b.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
}

/** The next `type` event of the node's challenge service, as a promise of its detail. */
export async function nextEvent<K extends keyof ChallengeEvents> (node: ChallengeNode, type: K): Promise<ChallengeEvents[K]['detail']> {
  return new Promise(resolve => {
    node.services.challenge.addEventListener(type, evt => { resolve(evt.detail) }, { once: true })
  })
}

/** Every `type` event of the node's challenge service from now on, for checking what happened and what did not. */
export function record<K extends keyof ChallengeEvents> (node: ChallengeNode, type: K): Array<ChallengeEvents[K]['detail']> {
  const seen: Array<ChallengeEvents[K]['detail']> = []
  node.services.challenge.addEventListener(type, evt => { seen.push(evt.detail) })
  return seen
}
