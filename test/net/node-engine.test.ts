import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sgfOfStored } from '../../src/net/game/game-record.js'
import { startNode, stopAll, terms, until, type NetNode } from './rating/harness.js'
import type { ChallengeOffer, StartedGame } from '../../src/net/challenge/index.js'

describe('P2pgoNode.engine: a bot declares its engine in the games it agrees', () => {
  let bot: NetNode
  let person: NetNode
  const offers: ChallengeOffer[] = []

  beforeAll(async () => {
    bot = await startNode([], 'bot')
    person = await startNode([], 'person')
    person.node.decide = async offer => { offers.push(offer); return { accept: true } }
    bot.node.engine = { name: 'GNU Go', version: '3.8' }
    await bot.node.libp2p.dial(person.node.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
  })

  afterAll(async () => { await stopAll([bot, person].filter(x => x != null)) })

  /** The bot challenges the person; both stored records and SGF exports once both sides hold the game. */
  async function agree (): Promise<{ game: StartedGame, sgf: { bot: string, person: string } }> {
    const game = await bot.node.challenge.propose(person.node.libp2p.peerId, { terms, color: 'black', name: 'bot' }, { signal: AbortSignal.timeout(20_000) })
    await until(async () => (await person.node.games.storage.ids()).some(id => id.equals(game.gameId)), 'the person to store the game')
    await until(async () => (await bot.node.games.storage.ids()).some(id => id.equals(game.gameId)), 'the bot to store the game')
    const sgf = {
      bot: await sgfOfStored(await bot.node.games.storage.get(game.gameId), bot.key),
      person: await sgfOfStored(await person.node.games.storage.get(game.gameId), person.key)
    }
    return { game, sgf }
  }

  it('the record names the bot\'s engine on its side only, the person saw it in the offer, and the SGF comment says it', async () => {
    const { game, sgf } = await agree()
    expect(game.me).toBe('B')
    expect(game.start.engines).toEqual({ B: { name: 'GNU Go', version: '3.8' } })
    expect(Object.hasOwn(game.start.engines!, 'W')).toBe(false)
    expect((await person.node.games.storage.get(game.gameId)).start.engines).toEqual(game.start.engines)
    expect(offers.at(-1)?.engine).toEqual({ name: 'GNU Go', version: '3.8' })
    expect(sgf.person).toBe(sgf.bot)
    // The display names stay as they are; the engine goes into the game comment.
    expect(sgf.bot).toContain('PB[bot]')
    expect(sgf.bot).toContain('PW[person]')
    expect(sgf.bot).toContain(`GC[p2pgo game ${game.gameId.toString()}; engines: B GNU Go 3.8]`)
  })

  it('with no engine set, the node declares none: no engines key, and the comment as it always was', async () => {
    bot.node.engine = undefined
    const { game, sgf } = await agree()
    expect(Object.hasOwn(game.start, 'engines')).toBe(false)
    expect(Object.hasOwn(offers.at(-1)!, 'engine')).toBe(false)
    expect(sgf.bot).toContain(`GC[p2pgo game ${game.gameId.toString()}]`)
  })
})
