/**
 * @packageDocumentation
 *
 * Store-and-forward (protocols/mailbox.md): an act, a challenge or a message for a peer that is
 * offline is left, sealed to its key and signed, with the relays it reserves on; it collects them
 * when it is back, checks their chain per sender, and has the holders delete them. A bootstrap
 * relay (`holder: true`) keeps envelopes for the recipients it knows, within quotas.
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...services, mailbox: mailbox() } })
 * node.services.mailbox.addEventListener('mailbox:item', evt => { console.log(evt.detail.from, evt.detail.kind) })
 * await node.services.mailbox.deposit(friend, 'message', new TextEncoder().encode('your move'), { expires: Date.now() + 3 * day })
 * ```
 */
import { MailboxService } from './mailbox-service.js'
import type { MailboxFault, MailboxItem } from './collector.js'
import type { SeqRange } from './chain.js'
import type { HolderLimits } from './quota.js'
import type { ReputationService } from '../reputation/reputation-service.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { ComponentLogger, Libp2pEvents, PeerId, PeerStore, PrivateKey, TypedEventTarget } from '@libp2p/interface'
import type { AddressManager, ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { Datastore } from 'interface-datastore'

export { MailboxService, MailboxDepositError, type DepositResult, type DepositOptions } from './mailbox-service.js'
export { MailboxRefusedError, ask, type HolderAddress } from './client.js'
export type { MailboxItem, MailboxFault, FaultReason, CollectReport } from './collector.js'
export { DEFAULT_HOLDER_LIMITS, createHolderLimits, type HolderLimits } from './quota.js'
export { KINDS, type MailboxKind } from './wire/limits.js'

export interface MailboxEvents {
  /** An envelope delivered: once, in its sender's order. */
  'mailbox:item': CustomEvent<MailboxItem>
  /** Envelopes from a sender are missing: later ones wait for them. */
  'mailbox:missing': CustomEvent<SeqRange & { from: string }>
  /** Missing envelopes given up on (after the gap wait): the later ones were delivered. */
  'mailbox:skipped': CustomEvent<SeqRange & { from: string }>
  /** A holder served an envelope that was refused (altered, for another peer, replayed, ...). */
  'mailbox:fault': CustomEvent<MailboxFault>
}

export interface MailboxInit {
  /** Keep envelopes for the recipients this node knows (a bootstrap relay). Default false. */
  readonly holder?: boolean
  /** A holder's quotas over DEFAULT_HOLDER_LIMITS. */
  readonly limits?: Partial<HolderLimits>
  /** Collect from this node's holders at start, on a new reservation and every few minutes. Default true. */
  readonly collect?: boolean
  /** How long later envelopes wait for a missing one (GAP_WAIT, 30 days). */
  readonly gapWaitMs?: number
  readonly collectIntervalMs?: number
  readonly collectDelayMs?: number
  /** The clock, ms since the epoch. Default `Date.now`. */
  readonly now?: () => number
}

export interface MailboxComponents {
  readonly peerId: PeerId
  readonly privateKey: PrivateKey
  readonly logger: ComponentLogger
  readonly registrar: Registrar
  readonly connectionManager: ConnectionManager
  readonly addressManager: AddressManager
  readonly peerStore: PeerStore
  readonly events: TypedEventTarget<Libp2pEvents>
  /** Held envelopes, the chains and the inbox live under /p2pgo/mailbox. */
  readonly datastore: Datastore
  /** On a relay: a recipient with a reservation is known. */
  readonly relay?: CircuitRelayService
  /** Misbehaviour costs reputation; optional. */
  readonly reputation?: ReputationService
}

/** Store-and-forward as a libp2p service: `mailbox: mailbox()`, `mailbox({ holder: true })` on a bootstrap relay. */
export function mailbox (init: MailboxInit = {}): (components: MailboxComponents) => MailboxService {
  return (components) => new MailboxService(components, init)
}
