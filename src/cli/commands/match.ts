import { parseCommandArgs, UsageError, type Command } from '../command.js'
import { askNode, nodeFlagOptions } from '../online-home.js'
import { formatMatchAnswer, matchAnswer, type MatchAnswer } from '../../queries/rating-queries.js'

const usage = `Usage: p2pgo match [--size 9] [--list] [--json] [--home DIR] [--bootstrap MA,...] [--local]

Finds an opponent near your rating and proposes a game to each fit one as soon as it is found,
until one accepts: the lobby's seekers first (nearest rating first), then seeking players in the
DHT, who announce themselves under their board size and rating bucket (the search starts in your
bucket and widens to neighbouring ones). With --list, every candidate's rating record is fetched
and verified, and the candidates are ranked by match quality (TrueSkill), how certain their
rating is, reputation and the expected connection, the ranking explained. Asks the node running in the home when there is one (the game then plays
there); otherwise starts a node, and an agreed game waits in the home for the client or a bot.

  --size N   board size, 9 (default), 13 or 19
  --list     only list and rank the candidates, propose to nobody
  --json     one JSON object:
             {"size":9,"me":{"mu":25,"sigma":8.333,"conservative":0,"provisional":true,"rank":"30k"},
              "candidates":[{"peer":"12D3...","score":0.61,"rank":"28k","verified":true,
                             "rating":{"mu":26100,"sigma":6900},"connection":"direct","rttMs":3,
                             "parts":{"quality":0.44,"certainty":0.2,"reputation":0.5,"connection":1},
                             "why":"match quality 44%; ..."}],
              "buckets":[6,5,7],"firstCandidateMs":12,"ms":340,
              "game":{"peer":"12D3...","gameId":"bafy...","color":"B"}|null,
              "declined":[{"peer":"12D3...","reason":"..."}],
              "hint":"..."}   ("hint" only when nobody was found on a network this node barely
                               reached: why, and what to do)
             (ratings inside candidates are in thousandths, as records carry them)

Exit status: 0 when a game was agreed (or, with --list, candidates were listed); 1 when nobody
was found or nobody accepted; 2 for bad arguments.`

export const matchCommand: Command = {
  path: ['match'],
  usage,
  async run (args, io) {
    const values = parseCommandArgs({ args: [...args], options: { ...nodeFlagOptions, size: { type: 'string' }, list: { type: 'boolean' }, json: { type: 'boolean' } }, strict: true }).values
    const size = Number(values.size ?? '9')
    if (![9, 13, 19].includes(size)) throw new UsageError(`--size must be 9, 13 or 19, got ${values.size ?? ''}`)
    const query = { size, propose: values.list !== true }
    const answer: MatchAnswer = await askNode(values, 'match', query, async (node, signal) => matchAnswer(node, query, signal), { warn: io.printError })
    if (values.json === true) io.print(JSON.stringify(answer))
    else for (const line of formatMatchAnswer(answer)) io.print(line)
    if (values.list === true) return answer.candidates.length > 0 ? 0 : 1
    return answer.game != null ? 0 : 1
  }
}
