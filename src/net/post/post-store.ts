// What a node keeps of its post, in its datastore under /p2pgo/post: the inbox (challenges and
// messages received and not yet answered or dismissed), the offline challenges it sent that wait
// for an answer (`sent/`), and the ones it accepted that wait for the challenger's countersignature
// (`accepted/`), and confirms nobody could take yet (`outbox/`). Every entry carries its expiry; sweep() drops the lapsed ones.
import { Key } from 'interface-datastore'
import { decodeCanonical, encodeCanonical } from '../../wire/cbor.js'
import type { PostKind } from './wire.js'
import type { Datastore } from 'interface-datastore'

const ROOT = '/p2pgo/post'
const LIMITS = { maxBytes: 64 * 1024 }

/** A challenge or message received. */
export interface InboxEntry {
  /** The ID (hex): a challenge's proposal ID; a message's mailbox envelope ID, or the SHA-256 of its direct item. */
  readonly id: string
  readonly from: string
  readonly kind: PostKind
  /** When the sender made it and when it lapses (the sender's clock), and when it arrived (this node's). */
  readonly at: number
  readonly expires: number
  readonly received: number
  /** A challenge: the `propose` message; a message: its text in UTF-8 (checked when it arrived). */
  readonly payload: Uint8Array
}

/** An offline challenge this node sent, waiting for an answer. */
export interface SentOffer {
  /** The proposal ID (hex). */
  readonly id: string
  readonly to: string
  /** The `propose` message as sent. */
  readonly propose: Uint8Array
  readonly at: number
  /** When the offer lapses; the entry stays ACCEPT_GRACE longer for an accept made in time. */
  readonly expires: number
}

/** An offline challenge this node accepted, waiting for the challenger's confirm. */
export interface AcceptedOffer {
  readonly id: string
  /** The challenger. */
  readonly from: string
  readonly propose: Uint8Array
  readonly accept: Uint8Array
  /** When this node stops waiting for the confirm. */
  readonly expires: number
}

/** A confirm that nobody could take yet (the accepter offline, its relays refusing): retried. */
export interface OutboxEntry {
  readonly id: string
  readonly to: string
  /** The challenge message to send. */
  readonly msg: Uint8Array
  readonly expires: number
}

type Area = 'inbox' | 'sent' | 'accepted' | 'outbox'

export class PostStore {
  private readonly ds: Datastore

  constructor (datastore: Datastore) {
    this.ds = datastore
  }

  async put (area: 'inbox', entry: InboxEntry): Promise<void>
  async put (area: 'sent', entry: SentOffer): Promise<void>
  async put (area: 'accepted', entry: AcceptedOffer): Promise<void>
  async put (area: 'outbox', entry: OutboxEntry): Promise<void>
  async put (area: Area, entry: { id: string }): Promise<void> {
    await this.ds.put(this.key(area, entry.id), encodeCanonical(entry))
  }

  async get (area: 'inbox', id: string): Promise<InboxEntry | undefined>
  async get (area: 'sent', id: string): Promise<SentOffer | undefined>
  async get (area: 'accepted', id: string): Promise<AcceptedOffer | undefined>
  async get (area: Area, id: string): Promise<unknown> {
    if (!/^[0-9a-f]{1,64}$/.test(id)) return undefined
    try {
      return decodeCanonical(await this.ds.get(this.key(area, id)), LIMITS)
    } catch {
      return undefined
    }
  }

  async has (area: Area, id: string): Promise<boolean> {
    return /^[0-9a-f]{1,64}$/.test(id) && await this.ds.has(this.key(area, id))
  }

  async delete (area: Area, id: string): Promise<void> {
    await this.ds.delete(this.key(area, id))
  }

  async list (area: 'inbox'): Promise<InboxEntry[]>
  async list (area: 'sent'): Promise<SentOffer[]>
  async list (area: 'accepted'): Promise<AcceptedOffer[]>
  async list (area: 'outbox'): Promise<OutboxEntry[]>
  async list (area: Area): Promise<unknown[]> {
    const out: unknown[] = []
    for await (const { value } of this.ds.query({ prefix: `${ROOT}/${area}/` })) {
      try {
        out.push(decodeCanonical(value, LIMITS))
      } catch {}
    }
    return out
  }

  /** Drops entries whose time is up: inbox and accepted at `expires`, sent offers `grace` later. Returns what was dropped, by area. */
  async sweep (now: number, grace: number): Promise<{ inbox: InboxEntry[], sent: SentOffer[], accepted: AcceptedOffer[] }> {
    const inbox = (await this.list('inbox')).filter(e => e.expires <= now)
    const sent = (await this.list('sent')).filter(e => e.expires + grace <= now)
    const accepted = (await this.list('accepted')).filter(e => e.expires <= now)
    for (const e of (await this.list('outbox')).filter(e => e.expires <= now)) await this.delete('outbox', e.id)
    for (const e of inbox) await this.delete('inbox', e.id)
    for (const e of sent) await this.delete('sent', e.id)
    for (const e of accepted) await this.delete('accepted', e.id)
    return { inbox, sent, accepted }
  }

  private key (area: Area, id: string): Key {
    return new Key(`${ROOT}/${area}/${id}`)
  }
}
