import { createHash } from 'node:crypto'
import { InvalidSettingError } from '../../../src/game/errors.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChallengeDeclinedError, ChallengeTimeoutError, type ChallengeColor, type ChallengeInit, type ChallengeOffer, type CounterAnswer, type Decision, type EngineInfo, type RatingClaim, type StartedGame } from '../../../src/net/challenge/index.js'
import { verifyStart } from '../../../src/net/challenge/start-record.js'
import { decodeStart, encodeStart, gameIdOf } from '../../../src/wire/game-start.js'
import { challengeNode, connect, nextEvent, record, rejection, terms13, terms9, type ChallengeNode } from './nodes.js'

type Decide = NonNullable<ChallengeInit['decide']>

describe('challenge: two real nodes on 127.0.0.1', () => {
  let a: ChallengeNode
  let b: ChallengeNode
  // b's answer, swapped per test: the node and its connection are shared.
  let decide: Decide = async () => ({ decline: 'busy' })

  beforeAll(async () => {
    a = await challengeNode({ name: 'Ann' })
    b = await challengeNode({ name: 'Bob', decide: async (offer, options) => decide(offer, options) })
    await connect(a, b)
  })

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
  })

  /** Checks a started game from both ends: same record, same ID, both signatures good, colours opposite. */
  async function checkBothSides (mine: StartedGame, theirs: StartedGame): Promise<void> {
    expect(mine.gameId.equals(theirs.gameId)).toBe(true)
    expect(gameIdOf(mine.start).equals(mine.gameId)).toBe(true)
    expect(encodeStart(theirs.start)).toEqual(encodeStart(mine.start))
    expect(decodeStart(encodeStart(mine.start))).toEqual(mine.start)
    expect(mine.opponent.equals(b.peerId)).toBe(true)
    expect(theirs.opponent.equals(a.peerId)).toBe(true)
    expect(theirs.me).toBe(mine.me === 'B' ? 'W' : 'B')
    const key = { [mine.me]: a.peerId.publicKey, [theirs.me]: b.peerId.publicKey }
    await verifyStart(key.B!, mine.start, mine.start.sigs.B)
    await verifyStart(key.W!, mine.start, mine.start.sigs.W)
    const ids = { [mine.me]: a.peerId.toMultihash().bytes, [theirs.me]: b.peerId.toMultihash().bytes }
    expect(mine.start.black).toEqual(ids.B)
    expect(mine.start.white).toEqual(ids.W)
  }

  it('accept: both sides get the same game ID and a start record both signatures verify', async () => {
    const offers: ChallengeOffer[] = []
    decide = async offer => { offers.push(offer); return { accept: true } }
    const events = Promise.all([nextEvent(a, 'game'), nextEvent(b, 'game')])
    const game = await a.services.challenge.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann' }, { signal: AbortSignal.timeout(20_000) })
    const [mineEvent, theirs] = await events
    expect(mineEvent).toBe(game)
    await checkBothSides(game, theirs)
    expect(game.me).toBe('B')
    expect(game.start.terms).toEqual(terms9)
    expect(game.start.names).toEqual({ B: 'Ann', W: 'Bob' })
    expect(offers).toHaveLength(1)
    expect(offers[0]).toMatchObject({ terms: terms9, color: 'black', name: 'Ann' })
    expect(offers[0].from.equals(a.peerId)).toBe(true)
  })

  const byRule = 'by the nonce rule'
  it.each<[ChallengeColor, 'B' | 'W' | typeof byRule]>([['black', 'B'], ['white', 'W'], ['random', byRule], ['random', byRule], ['random', byRule]])('colour %s: the proposer plays %s', async (color, expected) => {
    decide = async () => ({ accept: true, name: 'Bob' })
    const theirs = nextEvent(b, 'game')
    const game = await a.services.challenge.propose(b.peerId, { terms: terms9, color, name: 'Ann' }, { signal: AbortSignal.timeout(20_000) })
    await checkBothSides(game, await theirs)
    if (expected === byRule) {
      // protocols/challenge.md: the low bit of sha-256(nonce ‖ proposer ‖ accepter), 1 = proposer is Black.
      const digest = createHash('sha256').update(game.start.nonce).update(a.peerId.toMultihash().bytes).update(b.peerId.toMultihash().bytes).digest()
      expect(game.me).toBe((digest[31] & 1) === 1 ? 'B' : 'W')
    } else {
      expect(game.me).toBe(expected)
    }
    const names = game.me === 'B' ? { B: 'Ann', W: 'Bob' } : { B: 'Bob', W: 'Ann' }
    expect(game.start.names).toEqual(names)
  })

  it('decline: the proposer learns the reason and the message; no game on either side', async () => {
    decide = async () => ({ decline: 'declined', message: 'not now, thanks' })
    const games = [record(a, 'game'), record(b, 'game')]
    const err = await rejection(a.services.challenge.propose(b.peerId, { terms: terms9, color: 'white', name: 'Ann' }))
    expect(err).toBeInstanceOf(ChallengeDeclinedError)
    expect(err).toMatchObject({ reason: 'declined', by: 'peer', detail: 'not now, thanks' })
    expect(games.flat()).toEqual([])
  })

  it('a decide function that throws: the proposer is declined, and the node carries on', async () => {
    decide = async () => { throw new Error('the screen crashed') }
    const err = await rejection(a.services.challenge.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann' }))
    expect(err).toBeInstanceOf(ChallengeDeclinedError)
    expect(err).toMatchObject({ reason: 'declined', by: 'peer' })
    // The error text stays local: the peer learns only the decline.
    expect((err as ChallengeDeclinedError).detail).toBeUndefined()
    decide = async () => ({ accept: true })
    // Wait for Bob's event too, so it cannot leak into the next test.
    const theirs = nextEvent(b, 'game')
    const game = await a.services.challenge.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann' })
    await checkBothSides(game, await theirs)
  })

  it('counter then accept: the game is on the counter\'s terms, with the colour the counter asked for', async () => {
    decide = async () => ({ counter: { terms: terms13, color: 'white' } })
    const counters: ChallengeOffer[] = []
    const onCounter = async (offer: ChallengeOffer): Promise<CounterAnswer> => { counters.push(offer); return 'accept' }
    const theirs = nextEvent(b, 'game')
    const game = await a.services.challenge.propose(b.peerId, { terms: terms9, color: 'white', name: 'Ann' }, { onCounter })
    await checkBothSides(game, await theirs)
    expect(game.start.terms).toEqual(terms13)
    // Bob asked for White in his counter: Ann, who accepted it, is Black.
    expect(game.me).toBe('B')
    expect(game.start.names).toEqual({ B: 'Ann', W: 'Bob' })
    expect(counters).toHaveLength(1)
    expect(counters[0]).toMatchObject({ terms: terms13, color: 'white', name: 'Bob' })
    expect(counters[0].from.equals(b.peerId)).toBe(true)
  })

  it('counter, counter back, accept: three proposals, the last one wins', async () => {
    const seen: ChallengeOffer[] = []
    const answers: Decision[] = [{ counter: { terms: terms13, color: 'random' } }, { accept: true }]
    decide = async offer => { seen.push(offer); return answers.shift() ?? { decline: 'declined' } }
    const komi6 = { ...terms9, komi: 6.5 }
    const theirs = nextEvent(b, 'game')
    const game = await a.services.challenge.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann' }, {
      onCounter: async () => ({ counter: { terms: komi6, color: 'black' } })
    })
    await checkBothSides(game, await theirs)
    expect(seen.map(o => o.terms)).toEqual([terms9, komi6])
    expect(game.start.terms).toEqual(komi6)
    expect(game.me).toBe('B')
  })

  it('without onCounter the proposer declines a counter', async () => {
    decide = async () => ({ counter: { terms: terms13, color: 'black' } })
    const games = [record(a, 'game'), record(b, 'game')]
    const err = await rejection(a.services.challenge.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann' }))
    expect(err).toBeInstanceOf(ChallengeDeclinedError)
    expect(err).toMatchObject({ reason: 'declined', by: 'self' })
    expect(games.flat()).toEqual([])
  })

  it('at most 4 proposals on a stream: the side that would make a fifth declines instead', async () => {
    let decided = 0
    let countered = 0
    decide = async () => { decided++; return { counter: { terms: terms13, color: 'black' } } }
    const err = await rejection(a.services.challenge.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann' }, {
      onCounter: async () => { countered++; return { counter: { terms: terms9, color: 'white' } } }
    }))
    expect(err).toBeInstanceOf(ChallengeDeclinedError)
    expect(err).toMatchObject({ reason: 'declined', by: 'self', detail: 'no more counter-proposals on this stream' })
    // propose (Ann), counter (Bob), counter (Ann), counter (Bob): Ann's second answer cannot counter.
    expect([decided, countered]).toEqual([2, 2])
  })

  it('an offer that has expired on arrival is declined \'timeout\' without asking', async () => {
    let asked = false
    decide = async () => { asked = true; return { accept: true } }
    // Expires the moment it is made: on the same clock, it has always lapsed when it arrives.
    const err = await rejection(a.services.challenge.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann' }, { ttlMs: 0 }))
    expect(err).toBeInstanceOf(ChallengeTimeoutError)
    expect(asked).toBe(false)
  })

  it('withdrawing: the proposer\'s abort ends the stream, and the other side\'s decision is told', async () => {
    const asked = Promise.withResolvers<void>()
    const released = Promise.withResolvers<unknown>()
    decide = async (_offer, { signal }) => {
      asked.resolve()
      return new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => { released.resolve(signal.reason); reject(signal.reason) }, { once: true })
      })
    }
    const controller = new AbortController()
    const proposing = rejection(a.services.challenge.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann' }, { signal: controller.signal }))
    await asked.promise
    const reason = new Error('changed my mind')
    controller.abort(reason)
    expect(await proposing).toBe(reason)
    expect(await released.promise).toBeDefined()
  })
})

describe('challenge: rated games', () => {
  let a: ChallengeNode
  let b: ChallengeNode
  // Each node's rating callback and b's answer, swapped per test; the calls are counted by size.
  type Rating = NonNullable<ChallengeInit['rating']>
  let ratingA: Rating = () => undefined
  let ratingB: Rating = () => undefined
  let decide: Decide = async () => ({ accept: true })
  const asked: { A: number[], B: number[] } = { A: [], B: [] }

  const ann9: RatingClaim = { mu: 29_396, sigma: 7171 }
  const ann13: RatingClaim = { mu: 21_000, sigma: 3000 }
  const bob9: RatingClaim = { mu: 25_000, sigma: 8333 }
  const bob13: RatingClaim = { mu: 31_500, sigma: 2500 }
  const bySize = (nine: RatingClaim, thirteen: RatingClaim): Rating => size => (size === 9 ? nine : size === 13 ? thirteen : undefined)

  beforeAll(async () => {
    a = await challengeNode({ name: 'Ann', rating: size => { asked.A.push(size); return ratingA(size) } })
    b = await challengeNode({ name: 'Bob', decide: async (offer, options) => decide(offer, options), rating: size => { asked.B.push(size); return ratingB(size) } })
    await connect(a, b)
  })

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
  })

  /** Proposes from Ann to Bob and returns both sides' games, checked to be the same co-signed record. */
  async function play (color: ChallengeColor, onCounter?: (offer: ChallengeOffer) => Promise<CounterAnswer>): Promise<{ ann: StartedGame, bob: StartedGame }> {
    asked.A = []
    asked.B = []
    const theirs = nextEvent(b, 'game')
    const ann = await a.services.challenge.propose(b.peerId, { terms: terms9, color, name: 'Ann' }, { signal: AbortSignal.timeout(20_000), ...(onCounter != null ? { onCounter } : {}) })
    const bob = await theirs
    expect(bob.gameId.equals(ann.gameId)).toBe(true)
    expect(encodeStart(bob.start)).toEqual(encodeStart(ann.start))
    expect(decodeStart(encodeStart(ann.start))).toEqual(ann.start)
    expect(gameIdOf(bob.start).equals(ann.gameId)).toBe(true)
    const keys = { [ann.me]: a.peerId.publicKey, [bob.me]: b.peerId.publicKey }
    await verifyStart(keys.B!, ann.start, ann.start.sigs.B)
    await verifyStart(keys.W!, ann.start, ann.start.sigs.W)
    return { ann, bob }
  }

  it.each<ChallengeColor>(['black', 'white', 'random'])('both claim a rating (Ann %s): the record holds both, each on its player\'s side; the offer showed Ann\'s', async color => {
    ratingA = bySize(ann9, ann13)
    ratingB = bySize(bob9, bob13)
    const offers: ChallengeOffer[] = []
    decide = async offer => { offers.push(offer); return { accept: true } }
    const { ann, bob } = await play(color)
    expect(ann.start.ratings).toEqual({ [ann.me]: ann9, [bob.me]: bob9 })
    expect(bob.start.ratings).toEqual(ann.start.ratings)
    expect(offers.map(o => o.rating)).toEqual([ann9])
    expect(asked).toEqual({ A: [9], B: [9] })
  })

  it('a counter carries its author\'s rating for its own size, and the game is rated at that size', async () => {
    ratingA = bySize(ann9, ann13)
    ratingB = bySize(bob9, bob13)
    decide = async () => ({ counter: { terms: terms13, color: 'white' } })
    const counters: ChallengeOffer[] = []
    const { ann, bob } = await play('black', async offer => { counters.push(offer); return 'accept' })
    expect(counters.map(o => o.rating)).toEqual([bob13])
    expect(ann.start.terms).toEqual(terms13)
    expect(ann.me).toBe('B')
    expect(ann.start.ratings).toEqual({ B: ann13, W: bob13 })
    expect(bob.start.ratings).toEqual({ B: ann13, W: bob13 })
    expect(asked).toEqual({ A: [9, 13], B: [13] })
  })

  it('only the proposer claims one: the accept carries none, and the game is unrated', async () => {
    ratingA = bySize(ann9, ann13)
    ratingB = () => undefined
    const offers: ChallengeOffer[] = []
    decide = async offer => { offers.push(offer); return { accept: true } }
    const { ann, bob } = await play('white')
    expect(offers.map(o => o.rating)).toEqual([ann9])
    expect(Object.hasOwn(ann.start, 'ratings')).toBe(false)
    expect(Object.hasOwn(bob.start, 'ratings')).toBe(false)
  })

  it('only the accepter has one: it is never asked for it, and the game is unrated', async () => {
    ratingA = () => undefined
    ratingB = bySize(bob9, bob13)
    const offers: ChallengeOffer[] = []
    decide = async offer => { offers.push(offer); return { accept: true } }
    const { ann, bob } = await play('black')
    expect(offers).toHaveLength(1)
    expect(Object.hasOwn(offers[0], 'rating')).toBe(false)
    expect(Object.hasOwn(ann.start, 'ratings')).toBe(false)
    expect(Object.hasOwn(bob.start, 'ratings')).toBe(false)
    // An unrated proposal is not answered with a claim: Bob's rating is never looked up.
    expect(asked).toEqual({ A: [9], B: [] })
  })

  it('a claim the peer would refuse is refused here first: the proposer\'s before anything is sent, the accepter\'s as a decline', async () => {
    ratingA = () => ({ mu: 25.5, sigma: 8333 })
    ratingB = bySize(bob9, bob13)
    let offered = 0
    decide = async () => { offered++; return { accept: true } }
    const games = [record(a, 'game'), record(b, 'game')]
    expect(await rejection(a.services.challenge.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann' }))).toBeInstanceOf(InvalidSettingError)
    expect(offered).toBe(0)

    ratingA = bySize(ann9, ann13)
    ratingB = () => ({ mu: 25_000, sigma: 0 })
    const err = await rejection(a.services.challenge.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann' }))
    expect(err).toBeInstanceOf(ChallengeDeclinedError)
    expect(err).toMatchObject({ reason: 'declined', by: 'peer' })
    expect(games.flat()).toEqual([])
  })
})

describe('challenge: engines', () => {
  let a: ChallengeNode
  let b: ChallengeNode
  // Each node's engine and b's answer, swapped per test.
  let engineA: EngineInfo | undefined
  let engineB: EngineInfo | undefined
  let decide: Decide = async () => ({ accept: true })

  const gnugo: EngineInfo = { name: 'GNU Go', version: '3.8' }
  const katago: EngineInfo = { name: 'KataGo', version: '' }

  beforeAll(async () => {
    a = await challengeNode({ name: 'Ann', engine: () => engineA })
    b = await challengeNode({ name: 'Bob', decide: async (offer, options) => decide(offer, options), engine: () => engineB })
    await connect(a, b)
  })

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
  })

  /** Proposes from Ann to Bob; both sides' games, checked to be the same co-signed record. */
  async function play (color: ChallengeColor, onCounter?: (offer: ChallengeOffer) => Promise<CounterAnswer>): Promise<{ ann: StartedGame, bob: StartedGame }> {
    const theirs = nextEvent(b, 'game')
    const ann = await a.services.challenge.propose(b.peerId, { terms: terms9, color, name: 'Ann' }, { signal: AbortSignal.timeout(20_000), ...(onCounter != null ? { onCounter } : {}) })
    const bob = await theirs
    expect(encodeStart(bob.start)).toEqual(encodeStart(ann.start))
    expect(decodeStart(encodeStart(ann.start))).toEqual(ann.start)
    expect(gameIdOf(bob.start).equals(ann.gameId)).toBe(true)
    const keys = { [ann.me]: a.peerId.publicKey, [bob.me]: b.peerId.publicKey }
    await verifyStart(keys.B!, ann.start, ann.start.sigs.B)
    await verifyStart(keys.W!, ann.start, ann.start.sigs.W)
    return { ann, bob }
  }

  it.each<ChallengeColor>(['black', 'white', 'random'])('the proposer is an engine, the accepter a person (Ann %s): the record names exactly the proposer\'s side; the offer showed it', async color => {
    engineA = gnugo
    engineB = undefined
    const offers: ChallengeOffer[] = []
    decide = async offer => { offers.push(offer); return { accept: true } }
    const { ann, bob } = await play(color)
    expect(ann.start.engines).toEqual({ [ann.me]: gnugo })
    expect(Object.keys(ann.start.engines!)).toEqual([ann.me])
    expect(bob.start.engines).toEqual(ann.start.engines)
    expect(offers.map(o => o.engine)).toEqual([gnugo])
  })

  it('the accepter is an engine, the proposer a person: the accept declares it unasked, on the accepter\'s side only', async () => {
    engineA = undefined
    engineB = katago
    const offers: ChallengeOffer[] = []
    decide = async offer => { offers.push(offer); return { accept: true } }
    const { ann, bob } = await play('white')
    expect(Object.hasOwn(offers[0], 'engine')).toBe(false)
    expect(ann.start.engines).toEqual({ B: katago })
    expect(Object.keys(bob.start.engines!)).toEqual([bob.me])
  })

  it('both are engines and haggle: a counter carries its author\'s own engine, and each lands on its own side', async () => {
    engineA = gnugo
    engineB = katago
    decide = async () => ({ counter: { terms: terms13, color: 'white' } })
    const counters: ChallengeOffer[] = []
    const { ann, bob } = await play('black', async offer => { counters.push(offer); return 'accept' })
    expect(counters.map(o => o.engine)).toEqual([katago])
    // Bob's counter has him White; Ann accepted it, so her accept carried her engine.
    expect(bob.me).toBe('W')
    expect(ann.start.engines).toEqual({ B: gnugo, W: katago })
  })

  it('two people: no engines key, so the record is exactly as before engines existed', async () => {
    engineA = undefined
    engineB = undefined
    decide = async () => ({ accept: true })
    const { ann } = await play('black')
    expect(Object.hasOwn(ann.start, 'engines')).toBe(false)
  })

  it('an engine the peer would refuse is refused here first: the proposer\'s before anything is sent, the accepter\'s as a decline', async () => {
    engineA = { name: '', version: '3.8' }
    engineB = undefined
    let offered = 0
    decide = async () => { offered++; return { accept: true } }
    const games = [record(a, 'game'), record(b, 'game')]
    expect(await rejection(a.services.challenge.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann' }))).toBeInstanceOf(InvalidSettingError)
    expect(offered).toBe(0)

    engineA = undefined
    engineB = { name: 'GNU Go', version: 'x'.repeat(65) }
    const err = await rejection(a.services.challenge.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann' }))
    expect(err).toBeInstanceOf(ChallengeDeclinedError)
    expect(err).toMatchObject({ reason: 'declined', by: 'peer' })
    expect(games.flat()).toEqual([])
  })
})

describe('challenge: answers that do not come', () => {
  let a: ChallengeNode
  let busy: ChallengeNode
  let slow: ChallengeNode
  let released: PromiseWithResolvers<unknown>

  beforeAll(async () => {
    a = await challengeNode()
    busy = await challengeNode()
    // A short answer time: the decision below never answers by itself.
    slow = await challengeNode({
      answerTimeoutMs: 150,
      decide: async (_offer, { signal }) => new Promise<Decision>((_resolve, reject) => {
        signal.addEventListener('abort', () => { released.resolve(signal.reason); reject(signal.reason) }, { once: true })
      })
    })
    await Promise.all([connect(a, busy), connect(a, slow)])
  })

  afterAll(async () => {
    await Promise.all([a?.stop(), busy?.stop(), slow?.stop()])
  })

  it('with no decide function, every challenge is declined \'busy\'', async () => {
    const err = await rejection(a.services.challenge.propose(busy.peerId, { terms: terms9, color: 'random', name: 'Ann' }))
    expect(err).toBeInstanceOf(ChallengeDeclinedError)
    expect(err).toMatchObject({ reason: 'busy', by: 'peer' })
  })

  it('an answer not given within answerTimeoutMs is a \'timeout\' decline, and the decision is told to stop', async () => {
    released = Promise.withResolvers<unknown>()
    const games = record(slow, 'game')
    const err = await rejection(a.services.challenge.propose(slow.peerId, { terms: terms9, color: 'random', name: 'Ann' }, { signal: AbortSignal.timeout(30_000) }))
    expect(err).toBeInstanceOf(ChallengeTimeoutError)
    expect(await released.promise).toBeDefined()
    expect(games).toEqual([])
  })
})

type PromiseWithResolvers<T> = ReturnType<typeof Promise.withResolvers<T>>
