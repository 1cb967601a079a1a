// A third-party GTP controller drives `p2pgo gtp`: the `Controller` of @sabaki/gtp (what the
// Sabaki board uses to run engines) relays a 9x9 game between GNU Go and `p2pgo gtp --seek`, a
// real child process that is one side of a network game; the other side is a `p2pgo bot --accept`
// process playing GNU Go. Both run on 127.0.0.1 through a `p2pgo bootstrap` process. The game
// ends, p2pgo gtp answers final_score with the agreed result, and both players' SGF exports agree.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error: @sabaki/gtp ships no types
import { Controller } from '@sabaki/gtp'
import { bin, runCli } from '../helpers/cli.js'
import { startP2pgo, waitFor, type P2pgoProcess } from '../helpers/processes.js'
import { findGnuGo } from '../../src/cli/local-network.js'

const gnugo = findGnuGo()

interface Response { readonly id: number | null, readonly content: string, readonly error: boolean }
interface GtpController {
  process: { exitCode: number | null, once: (event: 'exit', listener: (code: number | null) => void) => void } | null
  start: () => void
  kill: () => Promise<void>
  sendCommand: (command: { name: string, args?: string[] }) => Promise<Response>
  on: (event: 'stderr', listener: (e: { content: string }) => void) => void
}

let dir: string
const procs: P2pgoProcess[] = []
const controllers: GtpController[] = []

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'p2pgo-gtp-')) })
afterAll(async () => {
  for (const c of controllers) if (c.process != null && c.process.exitCode == null) await c.kill()
  for (const p of procs) {
    if (p.child.exitCode == null && p.child.signalCode == null) p.child.kill('SIGTERM')
    await p.exited
  }
  await rm(dir, { recursive: true, force: true })
})

/** Sends a command and expects `=`; the content. */
async function ok (c: GtpController, name: string, ...args: string[]): Promise<string> {
  const r = await c.sendCommand({ name, args })
  if (r.error) throw new Error(`${name} ${args.join(' ')} was refused: ${r.content}`)
  return r.content.trim()
}

describe.skipIf(gnugo == null)('p2pgo gtp driven by @sabaki/gtp\'s Controller (real processes)', () => {
  it('relays a game between GNU Go and the network opponent (a p2pgo bot) to the agreed result; both SGFs agree', async () => {
    const boot = startP2pgo(['bootstrap', '--home', join(dir, 'boot'), '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local'])
    procs.push(boot)
    await waitFor(() => boot.lines.some(l => l.includes('/tcp/')), 'the bootstrap node to print its address')
    const address = boot.lines.find(l => l.includes('/tcp/'))!.trim()
    const node = ['--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', address, '--local']

    // The network opponent: GNU Go behind `p2pgo bot`, answering seeks.
    const bot = startP2pgo(['bot', '--home', join(dir, 'remote'), ...node, '--accept', '--engine', `${gnugo!} --mode gtp --level 1`, '--games', '1', '--name', 'Remote'])
    procs.push(bot)

    // The board: GNU Go plays the local colour (black) through the controller.
    const local = new Controller(gnugo, ['--mode', 'gtp', '--level', '1', '--never-resign']) as GtpController
    const p2pgo = new Controller(process.execPath, [bin, 'gtp', '--seek', '--home', join(dir, 'local'), ...node, '--name', 'Local']) as GtpController
    controllers.push(local, p2pgo)
    let stderr = ''
    p2pgo.on('stderr', e => { stderr += e.content + '\n' })
    local.start()
    p2pgo.start()

    // A failure says how both engines stand, and p2pgo gtp's last words (an engine that stopped
    // makes the controller say only "GTP engine output has stopped").
    try {
      expect(await ok(p2pgo, 'protocol_version')).toBe('2')
      expect(await ok(p2pgo, 'name')).toBe('p2pgo')
      for (const c of [local, p2pgo]) {
        await ok(c, 'boardsize', '9')
        await ok(c, 'clear_board')
        await ok(c, 'komi', '7.5')
      }
      // A wrong colour or a bad point gets words, not a game.
      const bad = await p2pgo.sendCommand({ name: 'play', args: ['black', 'Z1'] })
      expect(bad.error).toBe(true)
      expect(bad.content).toMatch(/not a point on the 9x9 board/)

      const moves: string[] = []
      let resigned = false
      // Two passes in a row end the game, as a controller counts them; the bound is a safety net.
      const over = (): boolean => moves.length >= 2 && moves.at(-1) === 'pass' && moves.at(-2) === 'pass'
      for (let turn = 0; turn < 200 && !over(); turn++) {
        let black = (await ok(local, 'genmove', 'B')).toLowerCase()
        const played = await p2pgo.sendCommand({ name: 'play', args: ['B', black] })
        if (played.error) {
          // p2pgo's rules refused GNU Go's move (superko): black passes instead, on both boards.
          expect(played.content).toMatch(/illegal move/)
          await ok(local, 'undo')
          await ok(local, 'play', 'B', 'pass')
          await ok(p2pgo, 'play', 'B', 'pass')
          black = 'pass'
        }
        moves.push(black)
        if (over()) break
        const white = (await ok(p2pgo, 'genmove', 'W')).toLowerCase()
        if (white === 'resign') {
          resigned = true
          break
        }
        moves.push(white)
        await ok(local, 'play', 'W', white)
      }
      expect(resigned || over()).toBe(true)
      // Asking for black's move from p2pgo gtp is refused: black is the local player here.
      expect((await p2pgo.sendCommand({ name: 'genmove', args: ['B'] })).content).toMatch(/you play black/)

      const score = await ok(p2pgo, 'final_score')
      expect(score).toMatch(resigned ? /^B\+R$/ : /^[BW]\+[\d.]+$|^0$/)
      const dead = await p2pgo.sendCommand({ name: 'final_status_list', args: ['dead'] })
      expect(dead.error).toBe(false)
      expect(await ok(p2pgo, 'showboard')).toMatch(/A B C D E F G H J/)
      const gameId = /game (\S+) agreed/.exec(stderr)?.[1]
      expect(gameId, stderr).toBeDefined()

      // quit: p2pgo gtp waits for both result signatures, then exits 0; the bot's one game is done.
      const exited = new Promise<number | null>(resolve => { p2pgo.process!.once('exit', resolve) })
      await ok(p2pgo, 'quit')
      expect(await exited).toBe(0)
      expect(stderr).toMatch(/signed by both players/)
      await ok(local, 'quit')
      expect(await bot.exited).toBe(0)

      const mine = await runCli(['export', gameId!, '--home', join(dir, 'local')])
      const theirs = await runCli(['export', gameId!, '--home', join(dir, 'remote')])
      expect(mine.code, mine.stderr).toBe(0)
      expect(theirs.code, theirs.stderr).toBe(0)
      expect(mine.stdout).toBe(theirs.stdout)
      expect(mine.stdout).toContain(`RE[${score}]`)
      expect(mine.stdout).toContain('PB[Local]')
      expect(mine.stdout).toContain('PW[Remote]')
    } catch (err) {
      throw new Error(`${(err as Error).message} (p2pgo gtp exit ${String(p2pgo.process?.exitCode)}, GNU Go exit ${String(local.process?.exitCode)}; p2pgo gtp's stderr: ${stderr.slice(-3000)})`)
    }
  }, 240_000)
})
