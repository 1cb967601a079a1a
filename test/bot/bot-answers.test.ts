// What a bot answers to challenges: one for another board size is declined as unsupported (not
// 'busy', which sends the player back to wait), and a bot that is stopping (SIGTERM in `p2pgo
// bot`) agrees to no new game: a challenge that arrives after its run ended is declined.
import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { Bot } from '../../src/bot/bot.js'
import { ChallengeDeclinedError } from '../../src/net/challenge/errors.js'
import { startNode, stopAll, terms, until, type NetNode } from '../net/rating/harness.js'

const GNUGO = '/usr/games/gnugo'

let nodes: NetNode[] = []
afterEach(async () => { await stopAll(nodes); nodes = [] })

/** A GNU Go bot seeking 9x9 games on one node, and a person's node connected to it. */
async function seekingBot (): Promise<{ bot: NetNode, person: NetNode, stop: AbortController, run: Promise<number> }> {
  const bot = await startNode([], 'bot')
  const person = await startNode([], 'person')
  nodes = [bot, person]
  // Until the bot runs, its node takes no challenge (the harness's nodes accept every one).
  bot.node.decide = async () => ({ decline: 'busy' })
  await person.node.libp2p.dial(bot.node.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
  const log: string[] = []
  const runner = new Bot({ node: bot.node, engine: { command: GNUGO, args: ['--mode', 'gtp', '--level', '1'] }, size: 9, mode: 'seek', games: 3, name: 'bot', log: line => { log.push(line) } })
  const stop = new AbortController()
  const run = runner.run(stop.signal)
  await until(() => log.some(l => l.startsWith('seeking')), 'the bot to seek')
  return { bot, person, stop, run }
}

describe.skipIf(!existsSync(GNUGO))('a bot\'s answers to challenges', () => {
  it('declines a challenge for another board size as unsupported, saying which size it plays', async () => {
    const { bot, person, stop, run } = await seekingBot()
    const answer = person.node.challenge.propose(bot.node.libp2p.peerId, { terms: { ...terms, size: 13 }, color: 'black', name: 'person' }, { signal: AbortSignal.timeout(20_000) })
    await expect(answer).rejects.toMatchObject({ reason: 'unsupported', detail: 'this bot plays 9x9 only' })
    stop.abort()
    await run.catch(() => {})
  })

  it('declines a challenge that arrives after its run ended, though it was seeking', async () => {
    const { bot, person, stop, run } = await seekingBot()
    stop.abort()
    await expect(run).rejects.toThrow('stopped')
    const answer = person.node.challenge.propose(bot.node.libp2p.peerId, { terms, color: 'black', name: 'person' }, { signal: AbortSignal.timeout(20_000) })
    await expect(answer).rejects.toBeInstanceOf(ChallengeDeclinedError)
    expect(bot.node.games.games).toEqual([])
  })
})
