// A bot that takes over a game already under way (a restarted bot resuming from its home) tells
// its engine the whole record first, which takes a while with a slow engine; the opponent may
// move meanwhile. That move must reach the engine before the bot asks it for a reply: told late
// (or never), the engine's board drifts from the game's and the bot stalls, refusing its own
// moves (found in the kill-and-restart test of test/e2e/bots.test.ts: 2 of 10 runs hung).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Bot } from '../../src/bot/bot.js'
import { startNode, stopAll, terms, until, type NetNode } from '../net/rating/harness.js'

const GNUGO = '/usr/games/gnugo'
let nodes: NetNode[] = []
let dir: string | undefined
afterEach(async () => {
  await stopAll(nodes)
  nodes = []
  if (dir != null) rmSync(dir, { recursive: true, force: true }); dir = undefined
})

describe.skipIf(!existsSync(GNUGO))('a bot taking over a game under way', () => {
  it('tells its engine a move the opponent made while the record was being replayed, before replying', async () => {
    dir = mkdtempSync(join(tmpdir(), 'p2pgo-bot-resume-'))
    const told = join(dir, 'gtp.log')
    // GNU Go behind a pipe that writes down each command and holds it 0.3 s: a slow engine.
    const engine = { command: '/bin/sh', args: ['-c', `while IFS= read -r l; do printf '%s\\n' "$l" >> ${told}; sleep 0.3; printf '%s\\n' "$l"; done | exec ${GNUGO} --mode gtp --level 1 --seed 3`] }
    const bot = await startNode([], 'bot')
    const person = await startNode([], 'person')
    nodes = [bot, person]
    await person.node.libp2p.dial(bot.node.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
    // Six turns are played before any bot runs (the bot node's turns made by hand), the person (Black) to move.
    const { gameId } = await person.node.challenge.propose(bot.node.libp2p.peerId, { terms, color: 'black', name: 'person' }, { signal: AbortSignal.timeout(10_000) })
    await until(() => bot.node.games.session(gameId) != null && person.node.games.session(gameId) != null, 'the game on both sides')
    const points = [[2, 2], [6, 6], [2, 6], [6, 2], [4, 2], [4, 6]]
    for (const [i, [x, y]] of points.entries()) {
      const mover = i % 2 === 0 ? person : bot
      await mover.node.games.perform(gameId, s => s.move({ x, y }))
      await until(() => [bot, person].every(n => n.node.games.session(gameId)?.turnActs.length === i + 1), `turn ${i + 1} on both sides`)
    }
    const botLog: string[] = []
    const runner = new Bot({ node: bot.node, engine, size: 9, mode: 'accept', games: 1, name: 'bot', log: line => { botLog.push(line) } })
    const finished = runner.run(AbortSignal.timeout(90_000))
    const session = person.node.games.session(gameId)!
    // While the engine is told the record, the person moves.
    await until(() => existsSync(told) && readFileSync(told, 'utf8').includes('play'), 'the bot to begin telling its engine the record', 30_000)
    await person.node.games.perform(gameId, s => s.move({ x: 4, y: 4 }))
    // The bot replies; the person passes; the bot replies again; the person resigns.
    await until(() => session.turnActs.length === 8, 'the bot\'s reply to the move', 60_000)
    await person.node.games.perform(gameId, s => s.pass())
    await until(() => session.turnActs.length === 10, 'the bot\'s reply to the pass', 60_000)
    await person.node.games.perform(gameId, s => s.resign())
    expect(await finished).toBe(1)
    expect(botLog.filter(l => /refused|differed/.test(l))).toEqual([])
    // The engine was told the person's move once, before its first genmove.
    const commands = readFileSync(told, 'utf8').split('\n').map(c => c.replace(/^\d+ /, ''))
    expect(commands.filter(c => c === 'play black E5')).toHaveLength(1)
    expect(commands.indexOf('play black E5')).toBeLessThan(commands.findIndex(c => c.startsWith('genmove')))
  }, 150_000)
})
