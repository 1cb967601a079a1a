// This node's signed peer record (protocols/lobby.md, "Addresses") and how it can be reached, as
// its presence carries them. Re-sealed whenever the dialable addresses change; updates run one
// after another, so a slow seal never overwrites a newer one.
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { CODE_P2P } from '@multiformats/multiaddr'
import { MAX_RECORD_ADDRESSES } from './constants.js'
import { selfReach } from '../reach.js'
import type { LobbyComponents } from './index.js'
import type { Reach } from '../rung.js'
import type { Logger } from '@libp2p/interface'

/** What the record keeper asks of, and tells, the lobby. */
export interface OwnRecordHooks {
  /** Whether the lobby still runs: nothing is sealed or kept once it stopped. */
  readonly running: () => boolean
  /** How this node can be reached changed. */
  readonly onReach: (reach: Reach | undefined) => void
  /** A new record was sealed: the presence should carry it at once. */
  readonly onRecord: () => void
}

/** Keeps this node's signed peer record and reach current for the presences it sends. */
export class OwnRecord {
  /** The sealed envelope as a presence carries it; undefined until sealed, or with no address to list. */
  record?: Uint8Array
  /** How this node can be reached, as its presence says. */
  reach?: Reach

  private readonly components: LobbyComponents
  private readonly log: Logger
  private readonly hooks: OwnRecordHooks
  /** The reach and addresses the record was made from, to skip re-sealing the same. */
  private addresses = ''
  private updates: Promise<void> = Promise.resolve()

  constructor (components: LobbyComponents, log: Logger, hooks: OwnRecordHooks) {
    this.components = components
    this.log = log
    this.hooks = hooks
  }

  /** Queues a re-seal after this node's addresses may have changed (a relay reservation, a UPnP mapping). */
  update (): void {
    this.updates = this.updates.then(async () => { await this.reseal() }).catch(err => {
      this.log.error('could not sign a peer record - %e', err)
    })
  }

  /** Forgets the record and reach, so a restarted lobby seals afresh. */
  clear (): void {
    this.record = undefined
    this.reach = undefined
    this.addresses = ''
  }

  /** Seals a new peer record when the dialable addresses changed, and has it announced at once. */
  private async reseal (): Promise<void> {
    const { addressManager, privateKey, peerId } = this.components
    if (addressManager == null || privateKey == null || !this.hooks.running()) return
    const multiaddrs = addressManager.getAddresses().map(ma => ma.decapsulateCode(CODE_P2P)).slice(0, MAX_RECORD_ADDRESSES)
    const reach = selfReach(addressManager)
    if (reach !== this.reach) {
      this.reach = reach
      this.hooks.onReach(reach)
    }
    const key = `${this.reach ?? ''} ${multiaddrs.map(String).join(' ')}`
    if (key === this.addresses) return
    this.addresses = key
    const envelope = multiaddrs.length === 0 ? undefined : await RecordEnvelope.seal(new PeerRecord({ peerId, multiaddrs }), privateKey)
    if (!this.hooks.running()) return
    this.record = envelope?.marshal()
    this.log('signed a peer record with %d addresses', multiaddrs.length)
    this.hooks.onRecord()
  }
}
