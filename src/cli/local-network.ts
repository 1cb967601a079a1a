// A network on this machine for a player with nobody else around (README, "The terminal client", the first minute):
// a bootstrap relay and a couple of bots on 127.0.0.1, each a real `p2pgo` process with its own
// home under the player's, joined like any other peer. GNU Go plays when it is installed, the
// built-in player (`p2pgo engine`) otherwise. The processes end with the client: each watches
// its stdin (P2PGO_LIFELINE) and stops when the client's end of the pipe closes, crash or not.
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The bots of a local network: one per size people start on. */
export const LOCAL_BOTS: ReadonlyArray<{ readonly size: 9 | 13 | 19 }> = Object.freeze([{ size: 9 }, { size: 19 }])
/** Bots take at least this long per move: a game against them reads like one against a person. */
export const LOCAL_BOT_MOVE_DELAY_MS = 400
/** How long the relay may take to print its address. */
const RELAY_START_MS = 30_000

const bin = fileURLToPath(new URL('../bin/p2pgo.js', import.meta.url))

/** Where GNU Go lives: on the PATH, or where Debian puts it (/usr/games is not on every PATH). */
export function findGnuGo (env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/games', '/usr/local/games']
  for (const dir of dirs) {
    if (dir === '') continue
    const path = join(dir, 'gnugo')
    if (existsSync(path)) return path
  }
  return undefined
}

/** The engine the bots play with, and how the lobby names them. */
export interface LocalEngine {
  readonly command: string
  readonly label: string
}

/** GNU Go at level 1 (a few seconds per 9x9 game) when installed, else the built-in player. */
export function localEngine (gnugo: string | undefined = findGnuGo()): LocalEngine {
  if (gnugo != null) return { command: `${gnugo} --mode gtp --level 1 --chinese-rules`, label: 'GNU Go' }
  return { command: `${process.execPath} ${bin} engine`, label: 'Simple bot' }
}

/**
 * The processes of a local network. The relay starts first; the bots after the player's node has
 * joined, so their first lobby announcements already reach it (gossipsub forwards only to peers
 * subscribed at the time; a missed one would wait for the next republish).
 */
export class LocalNetwork {
  readonly dir: string
  readonly engine: LocalEngine
  /** The relay's address, ending in /p2p/<peer ID>: the player's node joins through it. */
  relay = ''
  /** The bots' display names. */
  readonly bots: string[] = []
  private readonly children: ChildProcess[] = []

  constructor (dir: string, engine: LocalEngine = localEngine()) {
    this.dir = dir
    this.engine = engine
  }

  /** Starts the relay and waits for its address; output goes to `dir/relay.log`. */
  async startRelay (): Promise<string> {
    await mkdir(this.dir, { recursive: true })
    const child = this.spawn('relay', ['bootstrap', '--home', join(this.dir, 'relay'), '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local'])
    this.relay = await firstAddress(child, join(this.dir, 'relay.log'))
    return this.relay
  }

  /** Starts the bots (one per LOCAL_BOTS size), seeking games through the relay; output in `dir/bot-N.log`. */
  startBots (): string[] {
    for (const { size } of LOCAL_BOTS) {
      const name = `${this.engine.label} ${size}x${size}`
      this.spawn(`bot-${size}`, [
        'bot', '--home', join(this.dir, `bot-${size}`), '--local', '--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', this.relay,
        '--seek', '--size', String(size), '--games', '1000000', '--name', name,
        '--move-delay', String(LOCAL_BOT_MOVE_DELAY_MS), '--engine', this.engine.command
      ])
      this.bots.push(name)
    }
    return this.bots
  }

  /** Stops the bots and the relay (SIGTERM, then SIGKILL after 5 s). */
  async stop (): Promise<void> {
    await Promise.all(this.children.map(async child => {
      if (child.exitCode != null || child.signalCode != null) return
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      const late = setTimeout(() => { child.kill('SIGKILL') }, 5000)
      await exited
      clearTimeout(late)
    }))
  }

  private spawn (name: string, args: readonly string[]): ChildProcess {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, P2PGO_LIFELINE: '1' } })
    const log = createWriteStream(join(this.dir, `${name}.log`), { flags: 'a' })
    child.stderr?.pipe(log)
    child.stdout?.resume()
    this.children.push(child)
    return child
  }
}

/** The relay's loopback address, from the lines it prints at start. */
async function firstAddress (child: ChildProcess, log: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    let errors = ''
    const timer = setTimeout(() => { fail(new Error(`the local relay printed no address within ${RELAY_START_MS / 1000} s (its log: ${log}); run p2pgo play --no-bots to wait for peers without it, or --bootstrap ADDRESS to join another network`)) }, RELAY_START_MS)
    const fail = (err: Error): void => { clearTimeout(timer); reject(err) }
    child.stderr?.setEncoding('utf8').on('data', (d: string) => { errors += d })
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      text += d
      const line = text.split('\n').find(l => /^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/\w+$/.test(l.trim()))
      if (line != null) {
        clearTimeout(timer)
        resolve(line.trim())
      }
    })
    child.once('exit', code => { fail(new Error(`the local relay exited (${String(code)}) before it printed its address: ${errors.trim()} (its log: ${log}); run p2pgo play --no-bots to wait for peers without it`)) })
  })
}
