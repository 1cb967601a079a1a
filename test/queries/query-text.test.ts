// The sentences a failed network wait becomes: for each error a user can meet, what happened,
// what was waited for and how long, and what to do, given what the node knew of the network.
import { ConnectionClosedError, DialError, NotFoundError, TimeoutError, UnexpectedPeerError, UnsupportedProtocolError } from '@libp2p/interface'
import { describe, expect, it } from 'vitest'
import { ChallengeDeclinedError, ChallengeTimeoutError } from '../../src/net/challenge/errors.js'
import { duration, isTimeout, networkAdvice, waitFailure, type NetworkFacts } from '../../src/queries/query-text.js'

const alone: NetworkFacts = { connections: 0, dhtPeers: 0, bootstrap: 0, mdns: false }
const onLan: NetworkFacts = { ...alone, mdns: true }
const bootDown: NetworkFacts = { connections: 0, dhtPeers: 0, bootstrap: 2, mdns: false }
const noDht: NetworkFacts = { connections: 3, dhtPeers: 0, bootstrap: 1, mdns: false }
const healthy: NetworkFacts = { connections: 5, dhtPeers: 4, bootstrap: 1, mdns: false }

/** The reason AbortSignal.timeout aborts with (a DOMException named TimeoutError). */
async function abortTimeoutReason (): Promise<unknown> {
  const signal = AbortSignal.timeout(1)
  await new Promise(resolve => { signal.addEventListener('abort', resolve) })
  return signal.reason
}

describe('networkAdvice', () => {
  it.each([
    [alone, 'this node is connected to no peers and has no bootstrap peer configured: add one (config.json "bootstrap", or --bootstrap ADDRESS)'],
    [onLan, 'this node is connected to no peers and has no bootstrap peer configured: add one (config.json "bootstrap", or --bootstrap ADDRESS), or run p2pgo next to other p2pgo peers on your LAN'],
    [bootDown, 'this node reached none of its 2 bootstrap peers: check that they run and that the addresses in config.json "bootstrap" (or --bootstrap) are right'],
    [noDht, 'this node is connected to 3 peers but none of them serves the DHT yet: try again in a minute, or add a bootstrap peer (config.json "bootstrap")'],
    [healthy, 'the DHT had 4 peers to ask: the answer may not be published yet or its holders may be offline; try again later']
  ])('%o', (facts, words) => {
    expect(networkAdvice(facts)).toBe(words)
  })
})

describe('waitFailure', () => {
  const wait = { what: 'bob\'s answer to your challenge', ms: 75_000, peer: 'bob' }

  it('a timeout (AbortSignal.timeout\'s reason, or libp2p\'s TimeoutError) says how long it waited and for what', async () => {
    const reason = await abortTimeoutReason()
    expect(isTimeout(reason)).toBe(true)
    expect(waitFailure(reason, { what: 'the rating record of X from the DHT', ms: 30_012 }, alone)).toBe(
      'no answer: waited 30 s for the rating record of X from the DHT; this node is connected to no peers and has no bootstrap peer configured: add one (config.json "bootstrap", or --bootstrap ADDRESS)')
    expect(waitFailure(new TimeoutError('timed out'), wait, healthy)).toBe('no answer: waited 75 s for bob\'s answer to your challenge; bob may be away, or the way to it lost: try again later')
  })

  it('no address and nobody to ask, or nobody who knows one', () => {
    expect(waitFailure(new NotFoundError(), wait, bootDown)).toBe(
      'could not reach bob: this node has no address for it and no DHT peers to ask where it is; this node reached none of its 2 bootstrap peers: check that they run and that the addresses in config.json "bootstrap" (or --bootstrap) are right')
    const noAddress = Object.assign(new Error('The dial request has no valid addresses for peer: X'), { name: 'NoValidAddressesError' })
    expect(waitFailure(noAddress, wait, healthy)).toBe('could not reach bob: this node has no address for it and the DHT (4 peers to ask) does not know one; it is probably offline: try again when it shows in the lobby')
  })

  it('every known address failed', () => {
    const words = 'could not connect to bob at any address this node knows for it: it may have gone offline, or sit behind a NAT with no relay; try again when it shows in the lobby'
    expect(waitFailure(new AggregateError([new Error('ECONNREFUSED')], 'All multiaddr dials failed'), wait, healthy)).toBe(words)
    expect(waitFailure(new DialError('refused'), wait, healthy)).toBe(words)
    expect(waitFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4001'), { code: 'ECONNREFUSED' }), wait, healthy)).toBe(words)
  })

  it('the address answered as someone else; the peer does not speak the protocol; the connection closed', () => {
    expect(waitFailure(new UnexpectedPeerError(), wait, healthy)).toBe('could not connect to bob: the address this node has for it answered as another peer, or not as a p2pgo node; the peer may have moved: try again when it shows in the lobby')
    expect(waitFailure(new UnsupportedProtocolError(), wait, healthy)).toBe('bob does not speak the protocol needed for bob\'s answer to your challenge: it is another libp2p program, or a p2pgo too old or too new for this one')
    expect(waitFailure(new ConnectionClosedError(), wait, healthy)).toBe('the connection to bob closed while waiting for bob\'s answer to your challenge: try again')
  })

  it('a challenge nobody answered says how long and what to do; a decline keeps its own words', () => {
    expect(waitFailure(new ChallengeTimeoutError(), wait, healthy)).toBe('the other player did not answer in time (waited 75 s for bob\'s answer to your challenge): bob may be away; try again later or challenge someone else')
    const declined = new ChallengeDeclinedError('busy', 'peer', 'playing a game now')
    expect(waitFailure(declined, wait, healthy)).toBe(declined.message)
  })
})

describe('duration', () => {
  it.each([[450, '450 ms'], [30_012, '30 s'], [75_000, '75 s'], [120_000, '2 min'], [150_000, '150 s']])('%d ms', (ms, text) => {
    expect(duration(ms)).toBe(text)
  })
})
