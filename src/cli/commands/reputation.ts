import { optionalPeerIdArg, parseCommandArgs, UsageError, type Command } from '../command.js'
import { askNode, nodeFlagOptions } from '../online-home.js'
import { formatReputationAnswer, reputationAnswer, type ReputationAnswer, type ReputationQuery } from '../../queries/reputation-queries.js'

const usage = `Usage: p2pgo reputation [PEER_ID] [--limit N] [--json] [--home DIR]
                        [--bootstrap MA,...] [--local]

Discovery reputation as this node sees it (protocols/reputation.md): what a peer earned by
creating and first delivering valid training data (RNA), what it lost for invalid or worthless
RNA and failed rating audits, and the trust that follows (0.5 for a stranger). Without PEER_ID,
the top peers this node knows. With PEER_ID, its breakdown, the propagation paths of its recent
RNA, its rating record from the DHT (verified), and its games with this node.

  --limit N    how many top peers (default 20)
  --json       without PEER_ID: {"top":[{"peer":"12D3...","score":0.41,"trust":0.6,
                 "originated":{"count":1,"gain":0.1,"meanQuality":0.52},"delivered":{"count":2,"gain":0.2},
                 "penalties":{"invalid":0,"spam":0,"auditFailed":0,"loss":0,
                 "reasons":{"lobby:wrong-peer":0}},"capped":0}]} (reasons: invalid events by refusal)
               with PEER_ID: {"peer":"12D3...","known":true,"score":..,"trust":..,"originated":{..},
                 "delivered":{..},"penalties":{..},"capped":..,
                 "rna":[{"id":"bafy...","quality":0.52,"receivedAt":"ISO","path":{"complete":true,"hops":[..]}|null}],
                 "rating":{...as p2pgo rating --json}|null,"ratingError":"..." (only when rating is null: why),
                 "games":[{"id":"bafy...","me":"B","result":"W+R"|null}]}

Exit status: 0 on success; 1 when the home cannot be read; 2 for bad arguments.`

export const reputationCommand: Command = {
  path: ['reputation'],
  usage,
  async run (args, io) {
    const parsed = parseCommandArgs({ args: [...args], options: { ...nodeFlagOptions, json: { type: 'boolean' }, limit: { type: 'string' } }, strict: true, allowPositionals: true })
    const { values, positionals } = parsed
    const peer = optionalPeerIdArg(positionals)
    const limit = values.limit == null ? undefined : Number(values.limit)
    if (limit != null && !(Number.isInteger(limit) && limit > 0)) throw new UsageError(`--limit must be a positive whole number, got ${values.limit ?? ''}`)
    const query: ReputationQuery = { ...(peer != null ? { peer } : {}), ...(limit != null ? { limit } : {}) }
    let answer: ReputationAnswer
    try {
      answer = await askNode(values, 'reputation', { ...query }, async (node, signal) => reputationAnswer(node, query, signal), { network: query.peer != null, warn: io.printError })
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_CONTROL') {
        io.printError(`p2pgo reputation: ${(err as Error).message}`)
        return 1
      }
      throw err
    }
    if (values.json === true) io.print(JSON.stringify(answer))
    else for (const line of formatReputationAnswer(answer)) io.print(line)
    return 0
  }
}
