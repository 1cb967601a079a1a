// A peer that agrees a game and then vanishes (or stays and never moves) must not take a bot out
// of service (protocols/game.md, "Abandonment"): the bot is a real `p2pgo bot` process, the
// hostile peers are full nodes on 127.0.0.1 that agree through the challenge protocol and then
// stop. Each test waits, with a generous bound, for the bot to agree another game.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { startP2pgo, waitFor, type P2pgoProcess } from '../helpers/processes.js'
import { startNode, stopAll, terms, type NetNode } from '../net/rating/harness.js'
import type { GameTerms } from '../../src/wire/game-start.js'

const GNUGO = '/usr/games/gnugo'
const ENGINE = `${GNUGO} --mode gtp --level 1`
/** The bots here wait this long on a silent opponent (config.json), so a test need not wait ten minutes. */
const LIMIT_S = 3

let dir: string
const procs: P2pgoProcess[] = []
const nodes: NetNode[] = []

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'p2pgo-abandon-')) })
afterEach(async () => {
  await stopAll(nodes.splice(0))
  for (const p of procs.splice(0)) {
    if (p.child.exitCode == null && p.child.signalCode == null) p.child.kill('SIGKILL')
    await p.exited
  }
  rmSync(dir, { recursive: true, force: true })
})

async function bootstrapNode (): Promise<string> {
  const boot = startP2pgo(['bootstrap', '--home', join(dir, 'boot'), '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local'])
  procs.push(boot)
  await waitFor(() => boot.lines.some(l => l.includes('/tcp/')), 'the bootstrap node to print its address')
  return boot.lines.find(l => l.includes('/tcp/')) as string
}

/** A GNU Go bot whose home's config.json sets the abandonment limit. */
function bot (name: string, mode: '--seek' | '--accept', bootstrap: string): P2pgoProcess {
  const home = join(dir, name)
  mkdirSync(home, { recursive: true })
  writeFileSync(join(home, 'config.json'), JSON.stringify({ abandonAfterSeconds: LIMIT_S }))
  const p = startP2pgo(['bot', '--home', home, '--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', bootstrap, '--local', mode, '--engine', ENGINE, '--games', '10', '--name', name, '--json-events'])
  procs.push(p)
  return p
}

async function hostile (bootstrap: string, name: string): Promise<NetNode> {
  const x = await startNode([bootstrap], name)
  // It looks at the lobby (a node listens to the lobby topics of the sizes it shows).
  x.node.lobby.follow([9, 13, 19])
  nodes.push(x)
  return x
}

/**
 * Challenges the seeking bot from `x` until it accepts (a busy bot declines): resolves with the
 * game ID. The bound is a safety net for a bot that never becomes free again.
 */
async function challengeUntilAccepted (x: NetNode, what: string): Promise<string> {
  let gameId: string | undefined
  let last = ''
  await waitFor(() => x.node.lobby.seeks().length > 0, `${x.node.name} to see the bot's seek`)
  const deadline = Date.now() + 90_000
  while (gameId == null) {
    if (Date.now() > deadline) throw new Error(`the bot never accepted ${what}; last answer: ${last}`)
    const seek = x.node.lobby.seeks()[0]
    if (seek != null) {
      try {
        const started = await x.node.challenge.propose(seek.peer, { terms: seek.terms, color: 'black', name: x.node.name }, { signal: AbortSignal.timeout(20_000) })
        gameId = started.gameId.toString()
      } catch (err) {
        last = (err as Error).message
      }
    }
    if (gameId == null) await new Promise(resolve => setTimeout(resolve, 500))
  }
  return gameId
}

/** A process's last lines, for a failure message (read when the wait gives up). */
const lastWords = (p: P2pgoProcess): string => p.lines.slice(-8).join(' | ')

const closedEvent = (p: P2pgoProcess, gameId: string): Record<string, any> | undefined =>
  p.events.find(e => e.type === 'game:closed' && e.gameId === gameId)

describe.skipIf(!existsSync(GNUGO))('a peer that agrees a game and vanishes does not take a bot out of service', () => {
  it('untimed: the seeking bot leaves the silent game as abandoned, accepts the next challenge, and after a restart does not resume it', async () => {
    const address = await bootstrapNode()
    const seeker = bot('seeker', '--seek', address)
    // The first peer takes Black and never moves, then disappears.
    const h1 = await hostile(address, 'silent')
    const first = await challengeUntilAccepted(h1, 'the first challenge')
    await h1.node.stop()
    const h2 = await hostile(address, 'next')
    const second = await challengeUntilAccepted(h2, 'a challenge after the silent game')
    expect(closedEvent(seeker, first)).toMatchObject({ result: 'Void', reason: 'abandoned' })
    await waitFor(() => seeker.events.some(e => e.type === 'game:started' && e.gameId === second), 'the bot to start the second game')
    // The second peer vanishes too, and the bot dies while that game holds it.
    await h2.node.stop()
    seeker.child.kill('SIGKILL')
    await seeker.exited
    const again = bot('seeker', '--seek', address)
    const h3 = await hostile(address, 'after-restart')
    const third = await challengeUntilAccepted(h3, 'a challenge after the restart')
    // The game left before the crash is not resumed; the one that held the bot was resumed and left.
    expect(again.events.some(e => e.type === 'game:started' && e.gameId === first)).toBe(false)
    expect(closedEvent(again, second)).toMatchObject({ result: 'Void', reason: 'abandoned' })
    await waitFor(() => again.events.some(e => e.type === 'game:started' && e.gameId === third), 'the restarted bot to start the third game')
  }, 300_000)

  it('timed: the accepting bot claims the flag of a seeker that vanished and takes the next seek', async () => {
    const address = await bootstrapNode()
    const taker = bot('taker', '--accept', address)
    const h1 = await hostile(address, 'flagger')
    const fast: GameTerms = { ...terms, tc: { kind: 'absolute', mainMs: 5_000 } }
    // As a player who seeks in the client: open to games, its presence carries how to reach it.
    h1.node.lobby.setPresence({ name: 'flagger', sizes: [9], status: 'idle' })
    h1.node.lobby.postSeek({ terms: fast, color: 'black' })
    // Generous: the CI's shared pool once took over 90 s here (the bot's own words say why if it fails).
    await waitFor(() => taker.events.some(e => e.type === 'game:started'), () => `the bot to take the timed seek (the bot said: ${lastWords(taker)})`, 180_000)
    const first = taker.events.find(e => e.type === 'game:started')!.gameId as string
    await h1.node.stop()
    // A second seeker: the bot takes its seek only once the timed game holds it no longer.
    const h2 = await hostile(address, 'next')
    const started: string[] = []
    h2.node.addEventListener('game:started', e => { started.push(e.detail.gameId) })
    h2.node.lobby.setPresence({ name: 'next', sizes: [9], status: 'idle' })
    h2.node.lobby.postSeek({ terms, color: 'random' })
    await waitFor(() => started.length > 0, () => `the bot to take the next seek after the flag (the bot said: ${lastWords(taker)})`, 180_000)
    expect(closedEvent(taker, first)).toMatchObject({ result: 'W+T', reason: 'flag' })
    expect(taker.events.some(e => e.type === 'game:ended' && e.gameId === first && e.cosigned === true)).toBe(false)
    // The home lists the flagged game as closed, not in progress and not finished.
    taker.child.kill('SIGTERM')
    await taker.exited
    const listed = await runCli(['games', '--home', join(dir, 'taker'), '--json'])
    expect(listed.code).toBe(0)
    const game = (JSON.parse(listed.stdout) as Array<Record<string, unknown>>).find(g => g.id === first)
    expect(game).toMatchObject({ result: null, finishedAt: null, closedResult: 'W+T' })
    expect(typeof game?.closedAt).toBe('string')
  }, 480_000)
})
