import { optionalPeerIdArg, parseCommandArgs, UsageError, type Command } from '../command.js'
import { askNode, nodeFlagOptions } from '../online-home.js'
import { formatRatingAnswer, ratingAnswer, type RatingAnswer } from '../../queries/rating-queries.js'

const usage = `Usage: p2pgo rating [PEER_ID] [--size N] [--audit] [--json] [--home DIR]
                    [--bootstrap MA,...] [--local]

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

Exit status: 0 on success (also when an audit fails: read "audit.ok"); 1 when no record is found
or it is invalid; 2 for bad arguments.`

export const ratingCommand: Command = {
  path: ['rating'],
  summary: 'a player\'s rating from the DHT, verified (and audited with --audit)',
  usage,
  async run (args, io) {
    const parsed = parseCommandArgs({ args: [...args], options: { ...nodeFlagOptions, size: { type: 'string' }, audit: { type: 'boolean' }, json: { type: 'boolean' } }, strict: true, allowPositionals: true })
    const { values, positionals } = parsed
    const peer = optionalPeerIdArg(positionals)
    const size = values.size == null ? undefined : Number(values.size)
    if (size != null && ![9, 13, 19].includes(size)) throw new UsageError(`--size must be 9, 13 or 19, got ${values.size ?? ''}`)
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
