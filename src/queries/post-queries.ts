// The answers of `p2pgo inbox`, `inbox accept|dismiss`, `message` and `challenge`: asked of the
// node running with the home over its control socket, or of a node the command starts itself.
// JSON-ready shapes (a public contract: fields are only ever added).
import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { day } from '../units.js'
import { seenPlayers } from './friends-queries.js'
import { resolveFriend } from '../home/friends-file.js'
import type { P2pgoNode } from '../net/node.js'
import type { InboxView, PendingView, PostService, SendResult } from '../net/post/index.js'
import type { GameTerms } from '../wire/game-start.js'
import type { ChallengeColor } from '../net/challenge/messages.js'
import type { SeenPlayer } from '../home/friends-file.js'

/** One inbox item as `p2pgo inbox --json` prints it. */
export interface InboxJson {
  id: string
  from: string
  kind: 'challenge' | 'message'
  /** A message's text. */
  text?: string
  /** A challenge: the challenger's name, the terms, and the colour the challenger plays. */
  challenge?: { name: string, terms: GameTerms, color: ChallengeColor }
  /** When the sender sent it, when it arrived, when it lapses (ISO 8601). */
  sent: string
  received: string
  expires: string
}

/** One offline challenge of this player waiting for the other. */
export interface PendingJson {
  id: string
  peer: string
  state: 'sent' | 'accepted'
  terms: GameTerms
  expires: string
}

export interface InboxAnswer {
  items: InboxJson[]
  pending: PendingJson[]
}

const iso = (ms: number): string => new Date(ms).toISOString()

export function inboxJson (v: InboxView): InboxJson {
  return {
    id: v.id,
    from: v.from,
    kind: v.kind,
    ...(v.text != null ? { text: v.text } : {}),
    ...(v.challenge != null ? { challenge: { name: v.challenge.name, terms: v.challenge.terms, color: v.challenge.color } } : {}),
    sent: iso(v.at),
    received: iso(v.received),
    expires: iso(v.expires)
  }
}

export function pendingJson (p: PendingView): PendingJson {
  return { id: p.id, peer: p.peer, state: p.state, terms: p.terms, expires: iso(p.expires) }
}

function postOf (node: P2pgoNode): PostService {
  if (node.post == null) throw new Error('this node (a bootstrap relay) keeps no inbox')
  return node.post
}

/** Collects from this node's relays first when asked (a node started for the command), then lists. */
export async function inboxAnswer (node: P2pgoNode, options: { collect?: boolean, signal?: AbortSignal } = {}): Promise<InboxAnswer> {
  const post = postOf(node)
  if (options.collect === true) {
    await node.mailbox.collect(options.signal != null ? { signal: options.signal } : {}).catch(() => {})
    await post.settled()
  }
  return { items: (await post.inbox()).map(inboxJson), pending: (await post.pending()).map(pendingJson) }
}

/** Players this node can name: those in its lobby and friends now, and the opponents of its stored games. */
export async function knownPlayers (node: P2pgoNode): Promise<SeenPlayer[]> {
  const out = seenPlayers(node)
  const me = node.peerId
  for (const session of node.games.games) {
    const { start } = session
    const opponent = session.me === 'B' ? start.white : start.black
    const name = session.me === 'B' ? start.names.W : start.names.B
    try {
      const peer = peerIdFromString(peerText(opponent)).toString()
      if (peer !== me) out.push({ peer, name })
    } catch {}
  }
  return out
}

const peerText = (mh: Uint8Array): string => peerIdFromMultihash(Digest.decode(mh)).toString()

/** A peer ID, or a name that exactly one known player has. */
export async function resolvePlayer (node: P2pgoNode, who: string): Promise<string> {
  return resolveFriend(who, await knownPlayers(node)).peer
}

export interface SendJson {
  to: string
  via: SendResult['via']
  held?: readonly string[]
}

export async function messageAnswer (node: P2pgoNode, params: { to: string, text: string, expiresDays?: number }, signal?: AbortSignal): Promise<SendJson> {
  const to = await resolvePlayer(node, params.to)
  const r = await postOf(node).message(to, params.text, { ...(params.expiresDays != null ? { lifetimeMs: Math.round(params.expiresDays * day) } : {}), ...(signal != null ? { signal } : {}) })
  return { to, ...r }
}

export async function challengeAnswer (node: P2pgoNode, params: { to: string, terms: GameTerms, color: ChallengeColor, expiresDays?: number }, signal?: AbortSignal): Promise<SendJson & { id: string, expires: string }> {
  const to = await resolvePlayer(node, params.to)
  const r = await postOf(node).challenge(to, { terms: params.terms, color: params.color }, { ...(params.expiresDays != null ? { lifetimeMs: Math.round(params.expiresDays * day) } : {}), ...(signal != null ? { signal } : {}) })
  return { to, via: r.via, ...(r.held != null ? { held: r.held } : {}), id: r.id, expires: iso(r.expires) }
}

export async function acceptAnswer (node: P2pgoNode, params: { id: string }, signal?: AbortSignal): Promise<SendJson & { id: string }> {
  const post = postOf(node)
  const item = (await post.inbox()).find(i => i.id === params.id)
  const r = await post.accept(params.id, signal != null ? { signal } : {})
  return { to: item?.from ?? '', via: r.via, ...(r.held != null ? { held: r.held } : {}), id: r.id }
}

export async function dismissAnswer (node: P2pgoNode, params: { id: string }, signal?: AbortSignal): Promise<{ dismissed: string }> {
  await postOf(node).dismiss(params.id, signal != null ? { signal } : {})
  return { dismissed: params.id }
}
