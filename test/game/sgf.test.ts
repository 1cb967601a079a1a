import { describe, expect, it } from 'vitest'
import { parseSgf, recordFromSgf, recordToSgf, decodeSgfBytes, MAX_SGF_DEPTH, MAX_SGF_NODES } from '../../src/game/sgf.js'
import { replayRecord, recordOf } from '../../src/game/game-record.js'
import { checkSgf } from '../../src/game/sgf-check.js'
import { SgfError } from '../../src/game/errors.js'
import { Game } from '../../src/game/game.js'
import { JAPANESE } from '../../src/game/rules.js'
import { BLACK, WHITE } from '../../src/game/constants.js'

/** The `where` of the SgfError an action throws. */
function whereOf (action: () => unknown): string {
  try {
    action()
  } catch (err) {
    if (err instanceof SgfError) return err.where
    throw err
  }
  throw new Error('no SgfError thrown')
}

const full = `(;GM[1]FF[4]CA[UTF-8]SZ[19]KM[0.5]RU[Japanese]HA[2]AB[dp][pd]PB[Ada]PW[Bo]BR[3k]WR[2d]
DT[2026-11-22]TM[600]OT[5x30 byo-yomi]RE[W+R]GC[a test game]
;W[dd]WL[590]C[hello
world];B[pp]BL[580.5]OB[5];W[]WL[585](;B[cc])(;B[qq]))`

describe('SGF import', () => {
  it('reads every root property and the main line', () => {
    const r = recordFromSgf(full)
    expect(r.size).toBe(19)
    expect(r.komi).toBe(0.5)
    expect(r.rules).toBe('japanese')
    expect(r.handicapStones).toEqual([{ x: 3, y: 15 }, { x: 15, y: 3 }])
    expect(r.players).toEqual({ black: { name: 'Ada', rank: '3k' }, white: { name: 'Bo', rank: '2d' } })
    expect(r.date).toBe('2026-11-22')
    expect(r.time).toEqual({ mainSeconds: 600, overtime: '5x30 byo-yomi' })
    expect(r.result).toBe('W+R')
    expect(r.comment).toBe('a test game')
    expect(r.moves.map(m => m.vertex)).toEqual([{ x: 3, y: 3 }, { x: 15, y: 15 }, null, { x: 2, y: 2 }])
    expect(r.moves[0]).toMatchObject({ color: WHITE, comment: 'hello\nworld', clock: { left: 590 } })
    expect(r.moves[1]).toMatchObject({ color: BLACK, clock: { left: 580.5, overtime: 5 } })
  })

  it('treats tt as a pass on boards up to 19x19 only', () => {
    expect(recordFromSgf('(;SZ[19];B[tt])').moves[0].vertex).toBeNull()
    expect(recordFromSgf('(;SZ[21];B[tt])').moves[0].vertex).toEqual({ x: 19, y: 19 })
  })

  it('says where and why a file is malformed', () => {
    expect(whereOf(() => parseSgf(''))).toBe('file')
    expect(whereOf(() => parseSgf('just text'))).toBe('file')
    expect(whereOf(() => parseSgf('(;SZ[9];B[aa]'))).toBe('end of file')
    expect(whereOf(() => parseSgf('(;SZ[9]\n;B[aa'))).toBe('line 2, column 3')
    expect(whereOf(() => parseSgf('(;GM[2]SZ[9])'))).toBe('root GM')
    expect(whereOf(() => recordFromSgf('(;SZ[9:13])'))).toBe('root SZ')
    expect(whereOf(() => recordFromSgf('(;SZ[0])'))).toBe('root SZ')
    expect(whereOf(() => recordFromSgf('(;SZ[abc])'))).toBe('root SZ')
    expect(whereOf(() => recordFromSgf('(;SZ[9]KM[x])'))).toBe('root KM')
    expect(whereOf(() => recordFromSgf('(;SZ[9]RU[Klingon])'))).toBe('root RU')
    expect(whereOf(() => recordFromSgf('(;SZ[9];B[aa];W[zz])'))).toBe('move 2 (node 2)')
    expect(whereOf(() => recordFromSgf('(;SZ[9];B[aa]W[bb])'))).toBe('node 1')
    expect(() => parseSgf('(;SZ[9];B[aa]))')).toThrow(/closes nothing/)
  })

  it('reads text before the first game tree and extra game trees', () => {
    expect(recordFromSgf('junk (;SZ[9];B[ee])(;SZ[13])').size).toBe(9)
  })

  it('decodes the charset CA names', () => {
    const ascii = (t: string): number[] => [...t].map(c => c.charCodeAt(0))
    const latin1 = Uint8Array.of(...ascii('(;CA[ISO-8859-1]PB[Ren'), 0xe9, ...ascii('])'))
    expect(recordFromSgf(decodeSgfBytes(latin1)).players.black.name).toBe('René')
    expect(recordFromSgf(decodeSgfBytes(new TextEncoder().encode('(;PB[李昌镐])'))).players.black.name).toBe('李昌镐')
  })
})

describe('SGF export', () => {
  it('writes a record that reads back identically', () => {
    const r = recordFromSgf(full)
    const again = recordFromSgf(recordToSgf(r))
    expect(again).toEqual(r)
  })

  it('writes passes as B[] and the FF[4] root other programs expect', () => {
    const g = new Game({ size: 9, rules: JAPANESE, komi: 6.5 })
    g.play(BLACK, { x: 4, y: 4 })
    g.pass(WHITE)
    g.resign(BLACK)
    const text = recordToSgf(recordOf(g, { players: { black: { name: 'a]b' }, white: { name: 'c\\d' } } }))
    expect(text).toMatch(/^\(\s*;GM\[1\]FF\[4\]CA\[UTF-8\]AP\[p2pgo\]SZ\[9\]KM\[6\.5\]RU\[Japanese\]/)
    expect(text).toContain(';W[]')
    expect(text).toContain('RE[W+R]')
    expect(text).toContain('PB[a\\]b]')
    const back = replayRecord(recordFromSgf(text))
    expect(back.moves).toEqual(g.moves)
    expect(recordFromSgf(text).players.white.name).toBe('c\\d')
  })

  it('replays a record and refuses one with an illegal move, naming it', () => {
    const r = recordFromSgf('(;SZ[9]RU[Chinese];B[ee];W[ee])')
    expect(() => replayRecord(r)).toThrow(/already has a stone on it: move 2 \(W\)/)
    const turn = recordFromSgf('(;SZ[9]RU[Chinese];B[ee];B[dd])')
    expect(() => replayRecord(turn)).toThrow(expect.objectContaining({ reason: 'not-your-turn', message: expect.stringMatching(/move 2/) }))
  })
})

describe('checkSgf', () => {
  it('applies setup stones anywhere in the main line', () => {
    const r = checkSgf('(;SZ[5]AB[aa][ba]AW[ca];W[ab];B[cb]AE[aa];W[aa])')
    expect(r.moves).toBe(3)
    expect(r.illegal).toBeNull()
    expect(r.board[0]).toBe('OXO..')
  })

  it('stops at the first illegal move and reports it', () => {
    const r = checkSgf('(;SZ[5];B[bb];W[bb];B[cc])')
    expect(r).toEqual({
      size: 5,
      moves: 1,
      captures: { black: 0, white: 0 },
      illegal: { index: 1, move: 'bb', reason: 'occupied' },
      board: ['.....', '.X...', '.....', '.....', '.....']
    })
    expect(checkSgf('(;SZ[5];B[aa];W[zz])').illegal).toEqual({ index: 1, move: 'zz', reason: 'out-of-bounds' })
  })

  it('uses the rules the file names: suicide legal under Tromp-Taylor, simple ko otherwise', () => {
    // Two black stones in the corner with one liberty left at c1... White fills its own last liberty.
    const suicide = '(;SZ[5]AB[ca][cb][ac][bc]AW[aa][ba][ab];W[bb])'
    expect(checkSgf(suicide).illegal?.reason).toBe('suicide')
    const tt = checkSgf(suicide.replace('SZ[5]', 'SZ[5]RU[Tromp-Taylor]'))
    expect(tt.illegal).toBeNull()
    expect(tt.captures.black).toBe(4)
    expect(tt.board[0]).toBe('..X..')
  })
})

// Found by the fuzzer (test/fuzz). Each input is within MAX_SGF_BYTES and is refused with an
// SgfError that says why.
describe('SGF files that cost more than any game record', () => {
  it('an unclosed "[" followed by more "[" is refused at the first one (the tokenizer rescanned to the end for each: hours for 1 MiB)', () => {
    const text = '(;C' + '['.repeat(1024 * 1024) + ')'
    expect(whereOf(() => parseSgf(text))).toBe('line 1, column 4')
  })

  it('variations nested deeper than MAX_SGF_DEPTH are refused by depth (the parser overflowed its stack and said "malformed SGF")', () => {
    const text = '(;B[aa]'.repeat(MAX_SGF_DEPTH + 1) + ')'.repeat(MAX_SGF_DEPTH + 1)
    expect(() => parseSgf(text)).toThrow(/nest more than \d+ levels/)
    const fine = '(;B[aa]'.repeat(MAX_SGF_DEPTH) + ')'.repeat(MAX_SGF_DEPTH)
    expect(parseSgf(fine).data.B).toEqual(['aa'])
  })

  it('more than MAX_SGF_NODES nodes are refused (200,000 nodes took 400 MB and seconds to parse)', () => {
    const text = '(;GM[1]SZ[19]' + ';B[aa]'.repeat(MAX_SGF_NODES) + ')'
    expect(() => parseSgf(text)).toThrow(/more than \d+ nodes/)
    expect(mainLineLength('(;GM[1]SZ[19]' + ';B[aa]'.repeat(MAX_SGF_NODES - 1) + ')')).toBe(MAX_SGF_NODES)
  })
})

function mainLineLength (text: string): number {
  let n = 0
  for (let node: ReturnType<typeof parseSgf> | undefined = parseSgf(text); node != null; node = node.children[0]) n++
  return n
}

// Found by the fuzzer (test/fuzz): a move property with no value at all ("W" without "[...]"),
// which the parser keeps as an empty list, threw TypeError from fromSgfPoint out of the import.
describe('a move property without a value', () => {
  it.each(['(;W)', '(;GM[1]SZ[9];B[ee];W\n)'])('%j is refused with an SgfError naming the node', text => {
    expect(() => recordFromSgf(text)).toThrow(SgfError)
    expect(() => recordFromSgf(text)).toThrow(/holds no value/)
  })
})
