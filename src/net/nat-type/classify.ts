// What kind of NAT stands between this node and the internet, told from two STUN answers. Pure.

/**
 * How this node's UDP packets are mapped on their way out:
 * - `none`: the address the STUN servers saw is one of this machine's own (no NAT in between);
 * - `endpoint-independent`: the same public address and port towards every destination (hole punching works);
 * - `endpoint-dependent`: a new port per destination ("symmetric"; hole punching cannot work);
 * - `udp-blocked`: no STUN server answered;
 * - `unknown`: not enough answers to tell (fewer than two servers at different addresses answered).
 */
export type NatType = 'none' | 'endpoint-independent' | 'endpoint-dependent' | 'udp-blocked' | 'unknown'

/** A public address and port, as a STUN server saw this node's packets. */
export interface Mapped {
  readonly address: string
  readonly port: number
}

/** What one STUN server (`host:port`, resolved) answered; `mapped` absent when it did not answer. */
export interface StunAnswer {
  /** The server's IP address (resolved). */
  readonly host: string
  readonly port: number
  readonly mapped?: Mapped
}

export interface NatClassification {
  readonly type: NatType
  /** The public addresses (IP:port) the servers saw, without duplicates. */
  readonly publicAddresses: readonly string[]
  /** Why, in a few words a person can read. */
  readonly reason: string
}

const text = (m: Mapped): string => m.address.includes(':') ? `[${m.address}]:${m.port}` : `${m.address}:${m.port}`

/**
 * Classifies the mapping from the answers of STUN servers asked from one local UDP socket bound
 * to `localPort`, given the machine's own IP addresses. Two servers must sit at different IP
 * addresses for the mapping to be told apart (a NAT may map per destination address).
 */
export function classifyNat (answers: readonly StunAnswer[], localAddresses: readonly string[], localPort: number): NatClassification {
  const answered = answers.filter((a): a is StunAnswer & { mapped: Mapped } => a.mapped != null)
  const publicAddresses = [...new Set(answered.map(a => text(a.mapped)))]
  if (answers.length === 0) return { type: 'unknown', publicAddresses, reason: 'no STUN server known' }
  if (answered.length === 0) return { type: 'udp-blocked', publicAddresses, reason: `none of ${answers.length} STUN server${answers.length === 1 ? '' : 's'} answered` }
  const own = new Set(localAddresses)
  if (answered.some(a => own.has(a.mapped.address) && a.mapped.port === localPort)) {
    return { type: 'none', publicAddresses, reason: 'the STUN servers saw this machine\'s own address' }
  }
  // One answer per server address: a second server on the same IP cannot tell a per-address mapping apart.
  const byHost = new Map<string, Mapped>()
  for (const a of answered) if (!byHost.has(a.host)) byHost.set(a.host, a.mapped)
  if (byHost.size < 2) {
    const hosts = new Set(answers.map(a => a.host)).size
    return {
      type: 'unknown',
      publicAddresses,
      reason: hosts < 2 ? 'only one STUN server address known: the NAT type cannot be told' : 'only one STUN server answered: the NAT type cannot be told'
    }
  }
  const seen = [...byHost.values()]
  const same = seen.every(m => m.address === seen[0].address && m.port === seen[0].port)
  return same
    ? { type: 'endpoint-independent', publicAddresses, reason: 'the same public port towards every server' }
    : { type: 'endpoint-dependent', publicAddresses, reason: 'a different public port towards each server (symmetric NAT)' }
}

/** Whether hole punching (WebRTC ICE through both NATs) can work from behind this NAT; undefined when not known. */
export function canHolePunch (type: NatType | undefined): boolean | undefined {
  if (type === 'endpoint-dependent' || type === 'udp-blocked') return false
  if (type === 'none' || type === 'endpoint-independent') return true
  return undefined
}

/** A NAT type in words a player understands. */
export function natTypeText (type: NatType): string {
  switch (type) {
    case 'none': return 'no NAT (public address)'
    case 'endpoint-independent': return 'endpoint-independent (hole punching works)'
    case 'endpoint-dependent': return 'symmetric (hole punching cannot work)'
    case 'udp-blocked': return 'UDP blocked (no STUN answer)'
    case 'unknown': return 'unknown'
  }
}
