// The network engine's GTP answers over a real game session (two co-signed sessions, no network):
// the test is the remote player, moving on its own session and delivering its acts.
import { describe, expect, it } from 'vitest'
import { NetworkEngine, type GameLink } from '../../src/gtp/network-engine.js'
import { parseCommandLine } from '../../src/gtp/gtp-codec.js'
import { defaultTerms, deliver, sessionPair, type Pair } from '../helpers/sessions.js'
import type { GameTerms } from '../../src/wire/game-start.js'
import type { GameSession } from '../../src/session/index.js'

/** An engine whose game is `pair`, the local player on `me`'s session; `asked` records the terms and colour it opened with. */
async function engineOn (me: 'B' | 'W', terms: Partial<GameTerms> = {}): Promise<{ engine: NetworkEngine, pair: Pair, mine: GameSession, theirs: GameSession, asked: Array<{ terms: GameTerms, me: string }>, closed: AbortController }> {
  const pair = await sessionPair(terms)
  const mine = me === 'B' ? pair.black : pair.white
  const theirs = me === 'B' ? pair.white : pair.black
  const asked: Array<{ terms: GameTerms, me: string }> = []
  const closed = new AbortController()
  const link: GameLink = {
    session: mine,
    perform: async action => {
      const act = await action(mine)
      await deliver(mine, theirs)
      return act
    },
    closed: closed.signal
  }
  const engine = new NetworkEngine({
    terms: defaultTerms,
    now: pair.time.now,
    open: async (t, side) => {
      asked.push({ terms: t, me: side })
      return link
    }
  })
  return { engine, pair, mine, theirs, asked, closed }
}

/** The engine's answer to one command line: '= ...' or '? ...'. */
async function gtp (engine: NetworkEngine, line: string): Promise<string> {
  const r = await engine.handle(parseCommandLine(line)!)
  return `${r.ok ? '=' : '?'}${r.id ?? ''} ${r.content}`.trimEnd()
}

/** The remote player acts, and its acts reach the local session. */
async function remote (theirs: GameSession, mine: GameSession, action: (s: GameSession) => Promise<unknown>): Promise<void> {
  await action(theirs)
  await deliver(theirs, mine)
}

const settle = async (): Promise<void> => { for (let i = 0; i < 20; i++) await new Promise(resolve => setImmediate(resolve)) }

describe('NetworkEngine', () => {
  it('plays the local colour to the network, waits in genmove for the remote move, and echoes ids', async () => {
    const byoYomi = { kind: 'byo-yomi', mainMs: 60_000, periodMs: 10_000, periods: 3 } as const
    const { engine, mine, theirs, asked } = await engineOn('B', { komi: 6.5, tc: byoYomi })
    expect(await gtp(engine, '7 boardsize 9')).toBe('=7')
    expect(await gtp(engine, 'komi 6.5')).toBe('=')
    expect(await gtp(engine, 'kgs-time_settings byoyomi 60 10 3')).toBe('=')
    expect(await gtp(engine, '8 play black E5')).toBe('=8')
    expect(asked).toEqual([{ terms: { ...defaultTerms, komi: 6.5, tc: byoYomi }, me: 'B' }])
    expect(theirs.turnActs).toHaveLength(1)
    const answer = gtp(engine, '9 genmove white')
    await settle()
    await remote(theirs, mine, s => s.move({ x: 2, y: 2 }))
    expect(await answer).toBe('=9 C7')
    // The agreed terms hold: komi cannot change under way; the same value is fine.
    expect(await gtp(engine, 'komi 7.5')).toMatch(/^\? the game was agreed with your opponent on 9x9, komi 6.5, 1:00 \+ 3×0:10 byo-yomi; komi cannot change it now/)
    expect(await gtp(engine, 'komi 6.5')).toBe('=')
    expect(await gtp(engine, 'boardsize 9')).toBe('=')
    expect(await gtp(engine, 'clear_board')).toMatch(/^\? the network game is under way/)
  })

  it('refuses in words: the wrong colour, out of turn, an illegal move, a remote move that differs', async () => {
    const { engine, mine, theirs } = await engineOn('W')
    // genmove black first: the local player is white.
    const first = gtp(engine, 'genmove b')
    await settle()
    await remote(theirs, mine, s => s.move({ x: 4, y: 4 }))
    expect(await first).toBe('= E5')
    expect(await gtp(engine, 'genmove black')).toMatch(/^\? it is your turn \(white\)/)
    expect(await gtp(engine, 'play white E5')).toMatch(/^\? illegal move: that point already has a stone on it/)
    expect(await gtp(engine, 'play white D4')).toBe('=')
    expect(await gtp(engine, 'genmove white')).toMatch(/^\? you play white/)
    // A play for the remote colour is checked against what the remote played.
    const check = gtp(engine, 'play black C3')
    await settle()
    await remote(theirs, mine, s => s.move({ x: 5, y: 5 }))
    expect(await check).toBe('? move 3 of the game is black F4, not black C3')
    expect(await gtp(engine, 'play black F4')).toBe('=')
    expect(await gtp(engine, 'play')).toMatch(/^\? play takes a colour and a point/)
    expect(await gtp(engine, 'frobnicate')).toBe('? unknown command')
    expect(await gtp(engine, 'boardsize 11')).toMatch(/^\? unacceptable size/)
  })

  it('answers genmove with resign when the remote resigns; final_score gives the result', async () => {
    const { engine, mine, theirs } = await engineOn('B')
    expect(await gtp(engine, 'play B D5')).toBe('=')
    const answer = gtp(engine, 'genmove W')
    await settle()
    await remote(theirs, mine, s => s.resign())
    expect(await answer).toBe('= resign')
    expect(await gtp(engine, 'final_score')).toBe('= B+R')
    expect(await gtp(engine, 'play B E5')).toMatch(/^\? the game is over: Black wins by resignation \(B\+R\)/)
  })

  it('after two passes, counts as the bot does and gives the agreed score and dead stones', async () => {
    const { engine, mine, theirs } = await engineOn('B')
    expect(await gtp(engine, 'final_score')).toBe('? no game has been played yet')
    expect(await gtp(engine, 'play B C3')).toBe('=')
    expect(await gtp(engine, 'final_score')).toBe('? the game is not over yet: it is still being played')
    let answer = gtp(engine, 'genmove W')
    await settle()
    await remote(theirs, mine, s => s.move({ x: 7, y: 0 }))
    expect(await answer).toBe('= H9')
    expect(await gtp(engine, 'play B pass')).toBe('=')
    answer = gtp(engine, 'genmove W')
    await settle()
    await remote(theirs, mine, s => s.pass())
    expect(await answer).toBe('= pass')
    // Black (the engine) accepts the count as it stands; white marks H9 dead and accepts; black agrees.
    await settle()
    await deliver(mine, theirs)
    const score = gtp(engine, 'final_score')
    await remote(theirs, mine, s => s.mark([{ x: 7, y: 0 }]))
    await remote(theirs, mine, s => s.acceptScore())
    await settle()
    await deliver(mine, theirs)
    expect(await score).toBe('= B+73.5')
    expect(await gtp(engine, 'final_status_list dead')).toBe('= H9')
    expect(await gtp(engine, 'final_status_list alive')).toBe('= C3')
    expect(theirs.end?.result).toBe('B+73.5')
  })

  it('as white, agrees to the marking black proposes and accepts', async () => {
    const { engine, mine, theirs } = await engineOn('W')
    let answer = gtp(engine, 'genmove B')
    await settle()
    await remote(theirs, mine, s => s.move({ x: 2, y: 6 }))
    expect(await answer).toBe('= C3')
    expect(await gtp(engine, 'play W H9')).toBe('=')
    answer = gtp(engine, 'genmove B')
    await settle()
    await remote(theirs, mine, s => s.pass())
    expect(await answer).toBe('= pass')
    expect(await gtp(engine, 'play W pass')).toBe('=')
    expect(await gtp(engine, 'genmove B')).toBe('? both players passed: the game is being counted (final_score waits for the result)')
    // Black marks H9 dead and accepts; white (the engine) agrees.
    const score = gtp(engine, 'final_score')
    await remote(theirs, mine, s => s.mark([{ x: 7, y: 0 }]))
    await remote(theirs, mine, s => s.acceptScore())
    await settle()
    await deliver(mine, theirs)
    expect(await score).toBe('= B+73.5')
    expect(theirs.end?.result).toBe('B+73.5')
  })

  it('undo asks the opponent: declined is a refusal, agreed takes the move back', async () => {
    const { engine, mine, theirs } = await engineOn('B')
    expect(await gtp(engine, 'undo')).toMatch(/^\? there is no move to take back/)
    expect(await gtp(engine, 'play B C3')).toBe('=')
    let undo = gtp(engine, 'undo')
    await settle()
    await remote(theirs, mine, s => s.replyUndo(false))
    expect(await undo).toBe('? your opponent declined to take your last move back')
    undo = gtp(engine, 'undo')
    await settle()
    await remote(theirs, mine, s => s.replyUndo(true))
    expect(await undo).toBe('=')
    expect(mine.turnActs).toHaveLength(0)
    expect(await gtp(engine, 'play B D4')).toBe('=')
  })

  it('time_left gives the network clock; showboard draws the board', async () => {
    const { engine, pair } = await engineOn('B', { tc: { kind: 'absolute', mainMs: 300_000 } })
    expect(await gtp(engine, 'time_settings 300 0 0')).toBe('=')
    expect(await gtp(engine, 'play B E5')).toBe('=')
    pair.time.advance(10_000)
    expect(await gtp(engine, 'time_left W 280 0')).toBe('= 290 0')
    expect(await gtp(engine, 'time_left W')).toMatch(/^\? time_left takes a colour/)
    const board = await gtp(engine, 'showboard')
    expect(board).toContain(' 5 . . . . X . . . . 5')
    expect(board).toContain('you play black; 9x9, komi 7.5')
  })
})
