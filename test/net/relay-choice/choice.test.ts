// A player's relay slots chosen by measurement, with real relays on 127.0.0.1. Round trips on
// loopback are all alike, so what tells the relays apart is their real load (reservations other
// clients hold on them, read from each relay's own server: no load protocol is needed here) and
// real refusals (a relay whose maxReservations is reached refuses).
import { afterEach, describe, expect, it } from 'vitest'
import { until } from '../../helpers/game-nodes.js'
import { relayChoice, type FoundRelay, type RelayChoiceService } from '../../../src/net/relay-choice/index.js'
import { addressOf, blockingGater, fill, loadFrom, playerNode, relayNode, relaysOf, type RelayNode } from './relays.js'
import type { Libp2p } from 'libp2p'

/** Short rounds: the test waits for the outcome, never for a time. */
const fast = { interval: 300, firstDelay: 0 }

const ids = (...nodes: Libp2p[]): string => nodes.map(n => n.peerId.toString()).sort().join()

describe('relay choice (real relays on 127.0.0.1)', () => {
  const started: Libp2p[] = []
  afterEach(async () => { await Promise.all(started.splice(0).map(async n => { await n.stop() })) })

  async function relays (n: number, max = 10): Promise<RelayNode[]> {
    const out: RelayNode[] = []
    for (let i = 0; i < n; i++) out.push(await relayNode(max))
    started.push(...out)
    await Promise.all(out.map(async r => { await r.start() }))
    return out
  }

  it('moves the player off a loaded relay that answered first, onto the two unloaded ones', async () => {
    const [loaded, a, b] = await relays(3)
    await fill(loaded, 8, started)
    // A and B are unreachable at first, so libp2p reserves on the loaded relay (as it does today with whichever answers first).
    const blocked = new Set([a.peerId.toString(), b.peerId.toString()])
    const bootstrap = [loaded, a, b].map(addressOf)
    const player = await playerNode({ bootstrap, connectionGater: blockingGater(blocked) }, {
      relayChoice: relayChoice({ slots: 2, bootstrap, load: loadFrom([loaded, a, b], 10), ...fast })
    })
    started.push(player)
    await player.start()
    await until(() => relaysOf(player).includes(loaded.peerId.toString()), 'a reservation on the loaded relay')
    blocked.clear()
    await until(() => relaysOf(player).join() === ids(a, b), 'the player to hold its slots on the two unloaded relays', 30_000)
    const state = player.services.relayChoice.state()
    expect(state.find(r => r.peer === loaded.peerId.toString())).toMatchObject({ chosen: false, held: false, reservations: 9 })
    expect(state.filter(r => r.chosen).map(r => r.peer).sort().join()).toBe(ids(a, b))
  })

  it('moves a slot to a better relay that appears later (found in the DHT), after re-evaluation', async () => {
    const [loaded, a, b] = await relays(3)
    await b.stop()
    await fill(loaded, 8, started)
    const found: FoundRelay[] = []
    const player = await playerNode({ bootstrap: [loaded, a].map(addressOf) }, {
      relayChoice: relayChoice({ slots: 2, bootstrap: [loaded, a].map(addressOf), load: loadFrom([loaded, a, b], 10), findRelays: async function * () { yield * found }, ...fast })
    })
    started.push(player)
    const moves: string[] = []
    player.services.relayChoice.addEventListener('relay-choice:moved', e => { moves.push(`${e.detail.from}>${e.detail.to}`) })
    await player.start()
    // Only two relays: the slots are on both, the loaded one included (there is nothing better).
    await until(() => relaysOf(player).join() === ids(loaded, a), 'slots on the only two relays')
    await until(async () => (await player.services.relayChoice.evaluate()).chosen.length === 2, 'a round that keeps them')
    expect(moves).toEqual([])
    await b.start()
    found.push({ id: b.peerId, multiaddrs: b.getMultiaddrs() })
    await until(() => relaysOf(player).join() === ids(a, b), 'the slot on the loaded relay to move to the new one', 30_000)
    expect(moves).toEqual([`${loaded.peerId.toString()}>${b.peerId.toString()}`])
  })

  it('leaves a relay that lies about its load (reports itself empty, refuses) unchosen, with the refusal counted', async () => {
    const [a, b] = await relays(2, 10)
    // The liar holds at most 2 reservations, both taken: it refuses, while reporting 0 of 10.
    const [full] = await relays(1, 2)
    await fill(full, 2, started)
    await fill(a, 5, started)
    await fill(b, 5, started)
    const bootstrap = [full, a, b].map(addressOf)
    const player = await playerNode({ bootstrap }, {
      relayChoice: relayChoice({ slots: 2, bootstrap, load: loadFrom([full, a, b], 10, [full]), ...fast })
    })
    started.push(player)
    await player.start()
    await until(() => relaysOf(player).join() === ids(a, b), 'the slots on the two honest relays', 30_000)
    // A round may still have chosen it before its refusal counted: it must end unchosen.
    await until(() => (player.services.relayChoice as RelayChoiceService).state().some(r => r.peer === full.peerId.toString() && r.refusals > 0 && r.score != null && !r.chosen), 'the liar measured with its refusal, and unchosen', 30_000)
    // The honest two measured in the same round or a later one (CI: compared before they had a score).
    const scored = (peer: string): boolean => player.services.relayChoice.state().some(r => r.peer === peer && r.score != null)
    await until(() => scored(a.peerId.toString()) && scored(b.peerId.toString()), 'the honest relays measured')
    const liarState = player.services.relayChoice.state().find(r => r.peer === full.peerId.toString())
    const honest = player.services.relayChoice.state().filter(r => r.peer === a.peerId.toString() || r.peer === b.peerId.toString())
    expect(honest).toHaveLength(2)
    expect(liarState).toMatchObject({ chosen: false, held: false, reservations: 0 })
    // Its lie moved its score by at most the load weight (200); its refusal cost more (400): it ranks behind both honest relays.
    for (const h of honest) expect(liarState!.score!).toBeGreaterThan(h.score!)
  })
})
