import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.js'
import { Position } from '../../src/game/position.js'
import { CHINESE } from '../../src/game/rules.js'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { toSgfPoint } from '../../src/game/vertex.js'
import type { Color } from '../../src/game/color.js'

let dir: string

/** A random legal game as SGF, with what a correct replay must report. */
function randomGame (seed: number, size: number): { sgf: string, moves: number, board: string[], captures: { black: number, white: number } } {
  let s = seed
  const rand = (): number => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 2 ** 32 }
  const pos = new Position(size, CHINESE)
  let color: Color = BLACK
  let sgf = `(;GM[1]FF[4]SZ[${size}]RU[Chinese]KM[7.5]`
  let moves = 0
  for (let i = 0; i < size * size; i++) {
    let played = false
    for (let t = 0; t < 20 && !played; t++) {
      const x = Math.floor(rand() * size)
      const y = Math.floor(rand() * size)
      if (pos.play(color, pos.board.point(x, y)) == null) {
        sgf += `;${color === BLACK ? 'B' : 'W'}[${toSgfPoint({ x, y })}]`
        played = true
      }
    }
    if (!played) {
      pos.pass(color)
      sgf += `;${color === BLACK ? 'B' : 'W'}[]`
    }
    moves++
    color = color === BLACK ? WHITE : BLACK
  }
  return { sgf: sgf + ')', moves, board: pos.board.toRows(), captures: { black: pos.board.captures[BLACK], white: pos.board.captures[WHITE] } }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2pgo-sgf-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('p2pgo sgf check', () => {
  it('prints one JSON line per file in order, with an error line for unreadable files, and exits 1', async () => {
    await writeFile(join(dir, 'ok.sgf'), '(;GM[1]FF[4]SZ[9];B[ee];W[de];B[];W[ee])')
    await writeFile(join(dir, 'bad.sgf'), '(;SZ[9];B[ee]')
    await mkdir(join(dir, 'folder.sgf'))
    const { code, stdout } = await runCli(['sgf', 'check', '--json', join(dir, 'ok.sgf'), join(dir, 'missing.sgf'), join(dir, 'bad.sgf'), join(dir, 'folder.sgf'), join(dir, 'ok.sgf')])
    expect(code).toBe(1)
    const lines = stdout.trim().split('\n').map(l => JSON.parse(l))
    expect(lines).toHaveLength(5)
    expect(lines[0]).toEqual({
      size: 9,
      moves: 3,
      captures: { black: 0, white: 0 },
      illegal: { index: 3, move: 'ee', reason: 'occupied' },
      board: ['.........', '.........', '.........', '.........', '...OX....', '.........', '.........', '.........', '.........']
    })
    expect(Object.keys(lines[0])).toEqual(['size', 'moves', 'captures', 'illegal', 'board'])
    expect(lines[1]).toEqual({ file: join(dir, 'missing.sgf'), error: 'no such file' })
    expect(lines[2].error).toMatch(/not closed/)
    expect(lines[3].error).toMatch(/directory/)
    expect(lines[4]).toEqual(lines[0])
  })

  it('exits 0 when every file was read, even with illegal moves in them', async () => {
    await writeFile(join(dir, 'illegal.sgf'), '(;SZ[5];B[aa];W[aa])')
    const { code, stdout } = await runCli(['sgf', 'check', join(dir, 'illegal.sgf')])
    expect(code).toBe(0)
    expect(stdout).toMatch(/5x5, 1 moves applied.*illegal move 1 \[aa\]: occupied/)
  })

  it('refuses to run without files or with unknown flags, explaining how to use it', async () => {
    const none = await runCli(['sgf', 'check'])
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/name at least one SGF file/)
    const flag = await runCli(['sgf', 'check', '--jsn', 'x.sgf'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toMatch(/Unknown option/)
  })

  it('replays hundreds of files in one run, each exactly', async () => {
    const games = Array.from({ length: 300 }, (_, i) => randomGame(i + 1, [9, 13, 19][i % 3]))
    const files = await Promise.all(games.map(async (g, i) => {
      const file = join(dir, `random-${i}.sgf`)
      await writeFile(file, g.sgf)
      return file
    }))
    const { code, stdout } = await runCli(['sgf', 'check', '--json', ...files])
    expect(code).toBe(0)
    const lines = stdout.trim().split('\n').map(l => JSON.parse(l))
    expect(lines).toHaveLength(300)
    lines.forEach((line, i) => {
      expect(line).toEqual({ size: [9, 13, 19][i % 3], moves: games[i].moves, captures: games[i].captures, illegal: null, board: games[i].board })
    })
  })
})
