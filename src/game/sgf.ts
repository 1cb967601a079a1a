import sgf, { type SgfNode, type SgfToken } from '@sabaki/sgf'
import { BLACK, MAX_SIZE, MIN_SIZE, WHITE } from './constants.js'
import { SgfError } from './errors.js'
import { rulesetByName, type RulesetId } from './rules.js'
import { fromSgfPoint, onBoard, toSgfPoint, type Vertex } from './vertex.js'
import type { Color } from './color.js'
import { deadFromTerritory, territoryOf, type GameRecord, type RecordedMove } from './game-record.js'

export type { SgfNode }

/** Upper bound on an SGF text p2pgo will parse: far above any real game record (a 19x19 game with comments is ~10–50 KB). */
export const MAX_SGF_BYTES = 4 * 1024 * 1024

/** Most nodes an SGF file may hold: a game is at most a few thousand (MAX_ACTS each), a reviewed one with variations some tens of thousands; parsing costs ~2 kB and ~20 µs a node. */
export const MAX_SGF_NODES = 50_000

/** Deepest nesting of game trees (variations inside variations): the parser recurses once per level and runs out of stack at a few thousand. */
export const MAX_SGF_DEPTH = 1000

/** What SGF RU says for each ruleset p2pgo plays. */
const RU_NAMES: Record<RulesetId, string> = {
  chinese: 'Chinese',
  japanese: 'Japanese',
  'tromp-taylor': 'Tromp-Taylor',
  aga: 'AGA',
  'new-zealand': 'NZ'
}

/**
 * Parses SGF text and returns the root node of its first game tree (the main line runs
 * through each node's first child). Throws SgfError saying where and why it cannot be read.
 */
export function parseSgf (text: string): SgfNode {
  if (text.length > MAX_SGF_BYTES) throw new SgfError('file', `larger than ${MAX_SGF_BYTES} bytes`)
  // Tokens are read one at a time and checked as they come: the tokenizer rescans to the end of
  // the text for every unclosed "[", so reading on past the first one is quadratic.
  const tokens: SgfToken[] = []
  let depth = 0
  let nodes = 0
  let first: { row: number, col: number } | undefined
  try {
    for (const t of sgf.tokenizeIter(text)) {
      const where = `line ${t.row + 1}, column ${t.col + 1}`
      if (t.type === 'invalid') {
        const why = t.value.startsWith('[') ? 'a property value opened with "[" is never closed with "]"' : `unexpected ${JSON.stringify(t.value.slice(0, 20))}`
        throw new SgfError(where, why)
      }
      if (t.type === 'parenthesis') {
        first ??= t
        depth += t.value === '(' ? 1 : -1
        if (depth < 0) throw new SgfError(where, 'a ")" closes nothing')
        // The parser recurses once per level: past a few thousand it runs out of stack.
        if (depth > MAX_SGF_DEPTH) throw new SgfError(where, `game trees nest more than ${MAX_SGF_DEPTH} levels deep`)
      }
      if (t.type === 'semicolon' && ++nodes > MAX_SGF_NODES) throw new SgfError(where, `the file holds more than ${MAX_SGF_NODES} nodes`)
      tokens.push(t)
    }
  } catch (err) {
    if (err instanceof SgfError) throw err
    throw new SgfError('file', `cannot be tokenised (${(err as Error).message})`)
  }
  if (first == null) throw new SgfError('file', 'no game tree: an SGF file starts with "(;"')
  if (depth > 0) throw new SgfError('end of file', `${depth} game tree${depth > 1 ? 's are' : ' is'} not closed with ")" (the file may be cut short)`)
  let roots: SgfNode[]
  try {
    roots = sgf.parseTokens(tokens)
  } catch (err) {
    const m = /at (\d+):(\d+)/.exec((err as Error).message)
    throw new SgfError(m != null ? `line ${m[1]}, column ${m[2]}` : 'file', 'malformed SGF')
  }
  let root = roots[0]
  // Text before the first "(" makes the parser add an empty node above the real root.
  while (root != null && Object.keys(root.data).length === 0 && root.children.length > 0) root = root.children[0]
  if (root == null) throw new SgfError('file', 'no game tree: an SGF file starts with "(;"')
  const gm = root.data.GM?.[0]
  if (gm != null && gm.trim() !== '1') throw new SgfError('root GM', `GM[${gm}] is not a Go game (Go is GM[1])`)
  return root
}

/** The nodes of the main line: the root, then each first child. */
export function mainLine (root: SgfNode): SgfNode[] {
  const out: SgfNode[] = []
  for (let n: SgfNode | undefined = root; n != null; n = n.children[0]) out.push(n)
  return out
}

/** The board size from SZ (19 when absent); throws SgfError for rectangles and sizes p2pgo cannot play. */
export function sgfSize (root: SgfNode): number {
  const sz = root.data.SZ?.[0]
  if (sz == null) return 19
  if (sz.includes(':')) throw new SgfError('root SZ', `rectangular boards (SZ[${sz}]) are not supported`)
  const size = Number(sz.trim())
  if (!Number.isInteger(size) || size < MIN_SIZE || size > MAX_SIZE) throw new SgfError('root SZ', `SZ[${sz}] is not a board size from ${MIN_SIZE} to ${MAX_SIZE}`)
  return size
}

/**
 * Reads an SGF move value: a vertex, or null for a pass ('' in FF[4], 'tt' in FF[3] on boards
 * up to 19x19). Undefined when the value is not a point of this board.
 */
export function sgfMove (value: string, size: number): Vertex | null | undefined {
  if (value === '' || (value === 'tt' && size <= 19)) return null
  const v = fromSgfPoint(value)
  return v != null && onBoard(v, size) ? v : undefined
}

/** Expands an SGF point list value (single points or FF[4] compressed rectangles 'aa:cc'). Undefined when malformed. */
export function sgfPoints (values: readonly string[], size: number): Vertex[] | undefined {
  const out: Vertex[] = []
  for (const value of values) {
    const [a, b] = value.split(':')
    const from = fromSgfPoint(a)
    const to = b == null ? from : fromSgfPoint(b)
    if (from == null || to == null || !onBoard(from, size) || !onBoard(to, size)) return undefined
    for (let x = Math.min(from.x, to.x); x <= Math.max(from.x, to.x); x++) {
      for (let y = Math.min(from.y, to.y); y <= Math.max(from.y, to.y); y++) out.push({ x, y })
    }
  }
  return out
}

/**
 * Reads a game record from SGF: the main line of the first game tree. The ruleset comes from RU
 * (Japanese when absent); setup stones are accepted only as Black's handicap in the root.
 * Legality is not checked here: `replayRecord` does that.
 */
export function recordFromSgf (text: string): GameRecord {
  const root = parseSgf(text)
  const size = sgfSize(root)
  const d = root.data
  const ru = d.RU?.[0]
  const rules = ru == null || ru.trim() === '' ? 'japanese' : rulesetByName(ru)?.id
  if (rules == null) throw new SgfError('root RU', `unknown rules RU[${ru}] (known: Chinese, Japanese, AGA, Tromp-Taylor, NZ)`)
  const komi = d.KM?.[0] == null || d.KM[0].trim() === '' ? 0 : Number(d.KM[0])
  if (!Number.isFinite(komi)) throw new SgfError('root KM', `KM[${d.KM?.[0] ?? ''}] is not a number`)
  if (d.AW != null || d.AE != null) throw new SgfError('root AW/AE', 'setup positions with white or removed stones are not game records (use `p2pgo sgf check` to replay them)')
  const handicapStones = d.AB == null ? [] : sgfPoints(d.AB, size)
  if (handicapStones == null) throw new SgfError('root AB', `AB holds a point off the ${size}x${size} board`)
  const moves: RecordedMove[] = []
  mainLine(root).forEach((node, i) => {
    if (i > 0 && (node.data.AB != null || node.data.AW != null || node.data.AE != null)) {
      throw new SgfError(`node ${i}`, 'setup stones in the middle of a game are not game records (use `p2pgo sgf check` to replay them)')
    }
    const color: Color | undefined = node.data.B != null ? BLACK : node.data.W != null ? WHITE : undefined
    if (color == null) return
    if (node.data.B != null && node.data.W != null) throw new SgfError(`node ${i}`, 'one node holds both a black and a white move')
    const letter = color === BLACK ? 'B' : 'W'
    const value = (color === BLACK ? node.data.B : node.data.W)[0]
    // "B" with no "[...]" at all parses as a property with no values.
    if (value == null) throw new SgfError(`node ${i}`, `${letter} holds no value: a move is ${letter}[xy], or ${letter}[] for a pass`)
    const vertex = sgfMove(value, size)
    if (vertex === undefined) throw new SgfError(`move ${moves.length + 1} (node ${i})`, `${letter}[${value}] is not a point of the ${size}x${size} board`)
    const left = node.data[`${letter}L`]?.[0]
    const over = node.data[`O${letter}`]?.[0]
    const comment = node.data.C?.[0]
    moves.push({
      color,
      vertex,
      ...(left != null && Number.isFinite(Number(left)) ? { clock: { left: Number(left), ...(over != null && Number.isFinite(Number(over)) ? { overtime: Number(over) } : {}) } } : {}),
      ...(comment != null ? { comment } : {})
    })
  })
  const tm = d.TM?.[0]
  const record: GameRecord = {
    size,
    rules,
    komi,
    handicap: handicapStones.length,
    handicapStones,
    players: {
      black: { name: d.PB?.[0] ?? 'Black', ...(d.BR?.[0] != null ? { rank: d.BR[0] } : {}) },
      white: { name: d.PW?.[0] ?? 'White', ...(d.WR?.[0] != null ? { rank: d.WR[0] } : {}) }
    },
    ...(d.DT?.[0] != null ? { date: d.DT[0] } : {}),
    ...(tm != null && Number.isFinite(Number(tm)) ? { time: { mainSeconds: Number(tm), ...(d.OT?.[0] != null ? { overtime: d.OT[0] } : {}) } } : {}),
    moves,
    ...(d.RE?.[0] != null ? { result: d.RE[0] } : {}),
    ...(d.GC?.[0] != null ? { comment: d.GC[0] } : {}),
    ...(d.GN?.[0] != null ? { name: d.GN[0] } : {}),
    ...(d.PC?.[0] != null ? { place: d.PC[0] } : {})
  }
  // The agreed dead stones: the stones TB/TW (on the last node, as p2pgo and KGS write them) mark.
  const last = mainLine(root).at(-1) as SgfNode
  if (last.data.TB == null && last.data.TW == null) return record
  const black = sgfPoints(last.data.TB ?? [], size)
  const white = sgfPoints(last.data.TW ?? [], size)
  if (black == null || white == null) throw new SgfError('last node TB/TW', `TB/TW hold a point off the ${size}x${size} board`)
  const dead = deadFromTerritory(record, { black, white })
  return dead == null ? record : { ...record, dead }
}

/** Writes a record as SGF FF[4] that other Go software opens (passes as B[] / W[]). */
export function recordToSgf (record: GameRecord, application = 'p2pgo'): string {
  const data: Record<string, string[]> = {
    GM: ['1'],
    FF: ['4'],
    CA: ['UTF-8'],
    AP: [application],
    SZ: [String(record.size)],
    KM: [String(record.komi)],
    RU: [RU_NAMES[record.rules]],
    PB: [record.players.black.name],
    PW: [record.players.white.name]
  }
  if (record.players.black.rank != null) data.BR = [record.players.black.rank]
  if (record.players.white.rank != null) data.WR = [record.players.white.rank]
  if (record.handicapStones.length > 0) {
    data.HA = [String(record.handicapStones.length)]
    data.AB = record.handicapStones.map(toSgfPoint)
  }
  if (record.date != null) data.DT = [record.date]
  if (record.time != null) {
    data.TM = [String(record.time.mainSeconds)]
    if (record.time.overtime != null) data.OT = [record.time.overtime]
  }
  if (record.result != null) data.RE = [record.result]
  if (record.name != null) data.GN = [record.name]
  if (record.place != null) data.PC = [record.place]
  if (record.comment != null) data.GC = [record.comment]
  const root: SgfNode = { id: 0, data, parentId: null, children: [] }
  let parent = root
  record.moves.forEach((m, i) => {
    const letter = m.color === BLACK ? 'B' : 'W'
    const node: SgfNode = { id: i + 1, data: { [letter]: [m.vertex == null ? '' : toSgfPoint(m.vertex)] }, parentId: parent.id, children: [] }
    if (m.clock != null) {
      node.data[`${letter}L`] = [String(m.clock.left)]
      if (m.clock.overtime != null) node.data[`O${letter}`] = [String(m.clock.overtime)]
    }
    if (m.comment != null) node.data.C = [m.comment]
    parent.children.push(node)
    parent = node
  })
  // The agreed dead stones, as territory on the last node (see territoryOf): viewers draw it.
  const territory = territoryOf(record)
  if (territory != null) {
    if (territory.black.length > 0) parent.data.TB = territory.black.map(toSgfPoint)
    if (territory.white.length > 0) parent.data.TW = territory.white.map(toSgfPoint)
  }
  return sgf.stringify([root], { linebreak: '\n' })
}

/**
 * Decodes the bytes of an SGF file: in the charset its CA property names when the runtime
 * knows it (GB2312, Shift_JIS, EUC-KR, ISO-8859-1 are common in old archives), else UTF-8.
 */
export function decodeSgfBytes (bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096))
  const ca = /CA\s*\[([^\]]*)\]/.exec(head)?.[1]?.trim()
  if (ca != null && ca !== '' && !/^utf-?8$/i.test(ca)) {
    try {
      return new TextDecoder(ca).decode(bytes)
    } catch {
      // An unknown charset label: fall through to UTF-8, which every modern file uses anyway.
    }
  }
  return new TextDecoder('utf-8').decode(bytes)
}
