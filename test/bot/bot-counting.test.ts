// A bot (driven by GNU Go) against a person whose moves the test makes: the count ends with both
// result signatures whatever the bot's colour and whichever way the person agrees to it, and the
// engine is told each of the opponent's turns exactly once even when it starts slowly.
import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { Bot } from '../../src/bot/bot.js'
import { startNode, stopAll, terms, until, type NetNode } from '../net/rating/harness.js'
import type { GameSession } from '../../src/session/index.js'
import type { Side } from '../../src/wire/game-messages.js'

const GNUGO = '/usr/games/gnugo'
const gnugo = { command: GNUGO, args: ['--mode', 'gtp', '--level', '1', '--seed', '3'] }

/** How the person answers counting. */
type Agreement = 'accept-as-it-stands' | 'mark-then-accept' | 'wait-for-marking' | 'resign'

interface Played { result: string, botLog: string[], dead: string }

let nodes: NetNode[] = []
afterEach(async () => { await stopAll(nodes); nodes = [] })

/**
 * Plays one 9x9 game: the person passes every turn (or plays `firstMove` first) and agrees to the
 * count as `agreement` says; resolves when the bot has finished the game with both signatures.
 */
async function play (personColor: Side, agreement: Agreement, engine = gnugo, firstMove?: { x: number, y: number }): Promise<Played> {
  const bot = await startNode([], 'bot')
  const person = await startNode([], 'person')
  nodes = [bot, person]
  await person.node.libp2p.dial(bot.node.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
  // Until the bot runs, its node takes no challenge (the harness's nodes accept every one).
  bot.node.decide = async () => ({ decline: 'busy' })
  const botLog: string[] = []
  const runner = new Bot({ node: bot.node, engine, size: 9, mode: 'seek', games: 1, name: 'bot', log: line => { botLog.push(line) } })
  const finished = runner.run(AbortSignal.timeout(120_000))

  let session: GameSession | undefined
  let agreed = false
  const act = (work: (s: GameSession) => Promise<unknown>): void => {
    if (session == null) return
    person.node.games.perform(session.gameId, work).catch(() => {})
  }
  /** The person's turn: pass (or the first move); at counting, agree as told. */
  const answer = (): void => {
    const s = session
    if (s == null || s.end != null) return
    const color = personColor === 'B' ? 1 : 2
    if (s.game.phase === 'play' && s.game.toMove === color) {
      if (firstMove != null && s.turnActs.length < 2) act(async x => await x.move(firstMove))
      else act(async x => await x.pass())
    } else if (s.game.phase === 'scoring' && !agreed) {
      if (agreement === 'resign') {
        agreed = true
        act(async x => await x.resign())
      } else if (agreement === 'accept-as-it-stands') {
        agreed = true
        act(async x => await x.acceptScore())
      } else if (agreement === 'mark-then-accept') {
        agreed = true
        // The person calls one of the bot's stones dead: the bot (which thinks none are) must still agree.
        const botStone = s.turnActs.find(t => t.by !== personColor && t.kind === 'move')
        act(async x => { await x.mark(botStone == null ? [] : [{ x: botStone.x as number, y: botStone.y as number }]); return await x.acceptScore() })
      }
    }
  }
  person.node.games.addEventListener('game:move', () => { answer() })
  person.node.games.addEventListener('game:proposal', e => {
    if (e.detail.kind === 'mark' && agreement === 'wait-for-marking') act(async x => await x.acceptScore())
  })

  // The bot takes challenges once its seek is up: ask until it does.
  await until(async () => {
    try {
      const started = await person.node.challenge.propose(bot.node.libp2p.peerId, { terms, color: personColor === 'B' ? 'black' : 'white', name: 'person' }, { signal: AbortSignal.timeout(10_000) })
      await until(() => person.node.games.session(started.gameId) != null, 'the person\'s session')
      // The bot has the game (and its engine is starting) before the person's first turn.
      await until(() => bot.node.games.session(started.gameId) != null, 'the bot\'s session')
      session = person.node.games.session(started.gameId)
      return true
    } catch {
      return false
    }
  }, 'the bot to accept the challenge', 60_000)
  answer()

  expect(await finished).toBe(1)
  const s = session as GameSession
  await until(() => s.results.B != null && s.results.W != null, 'the person to hold both result signatures', 30_000)
  return { result: s.end?.result ?? '', botLog, dead: s.game.marking.dead.map(v => `${v.x},${v.y}`).join(';') }
}

describe.skipIf(!existsSync(GNUGO))('a bot and a person agree the count', () => {
  it('bot White, the person (Black) accepts the count as it stands without marking anything', async () => {
    const { result, dead } = await play('B', 'accept-as-it-stands')
    expect(result).toMatch(/^[BW]\+/)
    expect(dead).toBe('')
  })

  it('bot White, the person marks a bot stone dead and accepts: the bot agrees to the person\'s marking', async () => {
    const { result, dead } = await play('B', 'mark-then-accept')
    expect(result).toMatch(/^[BW]\+/)
    expect(dead).not.toBe('')
  })

  it('bot Black, the person (White) accepts the bot\'s marking', async () => {
    const { result } = await play('W', 'wait-for-marking')
    expect(result).toMatch(/^[BW]\+/)
  })

  it('bot Black, the person marks and accepts at once, crossing the bot\'s own marking: the bot agrees to the person\'s', async () => {
    const { result, dead } = await play('W', 'mark-then-accept')
    expect(result).toMatch(/^[BW]\+/)
    expect(dead).not.toBe('')
  })

  it('bot Black, the person accepts as it stands at once, before the bot has marked', async () => {
    const { result } = await play('W', 'accept-as-it-stands')
    expect(result).toMatch(/^[BW]\+/)
  })

  it('an engine that starts slowly is told the opponent\'s first move once, not twice', async () => {
    // The person (Black) plays E5 the moment the game starts, while the bot's engine is still starting.
    const slow = { command: '/bin/sh', args: ['-c', `sleep 2; exec ${GNUGO} --mode gtp --level 1 --seed 3`] }
    const { botLog, result } = await play('B', 'resign', slow, { x: 4, y: 4 })
    expect(result).toBe('W+R')
    expect(botLog.filter(l => /refused|illegal/i.test(l))).toEqual([])
  })
})
