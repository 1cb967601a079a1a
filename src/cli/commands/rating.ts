import { optionalPeerIdArg, parseCommandArgs, UsageError, type Command } from '../command.js'
import { askNode, askRunningNode, nodeFlagOptions } from '../online-home.js'
import { formatRatingAnswer, ratingAnswer, type RatingAnswer } from '../../queries/rating-queries.js'
import { ratingHistoryAnswer } from '../../queries/rating-history.js'
import { resolveHome } from '../../config/home.js'
import { NoRunningNodeError } from '../../control/control-client.js'
import { openOfflineHome } from '../../home/offline-home.js'
import { sparkline } from '../../tui/sparkline.js'
import { rankOf } from '../../rating/display.js'
import type { HistoryJson } from '../../rating/history.js'

const usage = `Usage: p2pgo rating [PEER_ID] [--size N] [--audit] [--json] [--home DIR]
                    [--bootstrap MA,...] [--local]
       p2pgo rating --history [--size N] [--json] [--home DIR]

Shows a player's TrueSkill rating per board size: the conservative rating (mu - 3 sigma), the
uncertainty, whether it is still provisional, and the Go rank. Without PEER_ID, this node's own.
Another peer's rating record is fetched from the DHT and verified (its signature, its key, its
expiry); --audit also fetches the co-signed results it cites and recomputes the rating from them.
Asks the node running in the home when there is one; otherwise starts a node for the question.

  --size N     only this board size (9, 13 or 19)
  --audit      recompute the record from its evidence and report every mismatch
  --json       one JSON object:
               {"peer":"12D3...","self":false,"seq":N,"updated":"ISO","expires":"ISO",
                "sizes":{"9":{"mu":27.1,"sigma":5.2,"conservative":11.5,"provisional":true,
                              "rank":"21k","games":3,"cited":["bafy..."]}},
                "relay":{"delivered":N,"failed":N,"served":N},
                "audit":{"ok":true,"checked":3,"opponents":{"9":2},"findings":[]}}
               ("audit" only with --audit; seq/updated/expires/relay null before a first record)
  --history    this node's own rating after each rated game on one board size (--size N, else
               the size with most rated games; 9 when there are none), rebuilt from the
               co-signed results of the games this home holds, oldest first; with --json one
               JSON object:
               {"size":9,"points":[{"at":"ISO","mu":27.1,"sigma":5.2,"conservative":11.5,
                                    "game":"bafy..."}]}
               ("at": when both players had signed the result; "game": its game ID, as
               p2pgo games lists it). Asks the node running in the home, or reads the home
               itself when none runs; needs no network.

Exit status: 0 on success (also when an audit fails: read "audit.ok"; also for an empty history);
1 when no record is found or it is invalid, or the running node cannot answer; 2 for bad arguments.`

export const ratingCommand: Command = {
  path: ['rating'],
  usage,
  async run (args, io) {
    const parsed = parseCommandArgs({ args: [...args], options: { ...nodeFlagOptions, size: { type: 'string' }, audit: { type: 'boolean' }, json: { type: 'boolean' }, history: { type: 'boolean' } }, strict: true, allowPositionals: true })
    const { values, positionals } = parsed
    const peer = optionalPeerIdArg(positionals)
    const size = values.size == null ? undefined : Number(values.size)
    if (size != null && ![9, 13, 19].includes(size)) throw new UsageError(`--size must be 9, 13 or 19, got ${values.size ?? ''}`)
    if (values.history === true) {
      if (peer != null) throw new UsageError('--history shows this node\'s own history (from the games its home holds): give no PEER_ID')
      if (values.audit === true) throw new UsageError('--history and --audit do not go together: --audit checks a published record')
      let history: HistoryJson
      try {
        history = await ownHistory(values.home, size)
      } catch (err) {
        if ((err as { code?: string }).code !== 'ERR_CONTROL') throw err
        io.printError(`p2pgo rating: ${(err as Error).message}`)
        return 1
      }
      if (values.json === true) io.print(JSON.stringify(history))
      else for (const line of historyLines(history)) io.print(line)
      return 0
    }
    const query = { ...(peer != null ? { peer } : {}), ...(size != null ? { size } : {}), audit: values.audit === true }
    let answer: RatingAnswer
    try {
      answer = await askNode(values, 'rating', query, async (node, signal) => ratingAnswer(node, query, signal), { network: query.peer != null, warn: io.printError })
    } catch (err) {
      const code = (err as { code?: string }).code
      if (code === 'ERR_RATING' || code === 'ERR_CONTROL') {
        io.printError(`p2pgo rating: ${(err as Error).message}`)
        return 1
      }
      throw err
    }
    if (values.json === true) io.print(JSON.stringify(answer))
    else for (const line of formatRatingAnswer(answer)) io.print(line)
    return 0
  }
}

/** This node's history: from the node running in the home, or from the home itself when none runs. */
async function ownHistory (homeFlag: string | undefined, size: number | undefined): Promise<HistoryJson> {
  const query = size != null ? { size } : {}
  try {
    return await askRunningNode(resolveHome({ flag: homeFlag, env: process.env }), 'rating-history', query) as HistoryJson
  } catch (err) {
    if (!(err instanceof NoRunningNodeError)) throw err
  }
  const offline = await openOfflineHome(homeFlag)
  try {
    return await ratingHistoryAnswer(offline.games, offline.peerId.toMultihash().bytes, query)
  } finally {
    await offline.close()
  }
}

/** The history for people: a sparkline of the conservative rating, then one line per game. */
export function historyLines (h: HistoryJson): string[] {
  const { size, points } = h
  if (points.length === 0) return [`no rated ${size}x${size} games in this home yet`]
  const n = points.length
  const lines = [`${size}x${size} rating after each of ${n} rated game${n === 1 ? '' : 's'} (mu - 3 sigma): ${sparkline(points.map(p => p.conservative), 60)}`]
  for (const p of points) lines.push(`  ${p.at.slice(0, 16).replace('T', ' ')}  ${p.conservative.toFixed(1).padStart(5)} (${rankOf(p.conservative)})  mu ${p.mu.toFixed(2)} ±${p.sigma.toFixed(2)}  ${p.game}`)
  return lines
}
