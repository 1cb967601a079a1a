import { parseCommandArgs, UsageError, type Command } from '../command.js'
import { askNode, nodeFlagOptions } from '../online-home.js'
import { formatRnaAnswer, rnaAnswer, type RnaAnswer, type RnaQuery } from '../../queries/rna-queries.js'

const usage = `Usage: p2pgo rna ls [--json] [--home DIR]
       p2pgo rna show RNA_ID [--json] [--home DIR]
       p2pgo rna export [--format sgf|json|cbor] [--min-quality Q] [--home DIR]

Training data ("RNA"): every finished game on the network, as this node received, checked and
kept it (protocols/rna.md). Asks the node running in the home when there is one; otherwise
opens the home itself (no network needed).

  ls            every RNA held, newest first: quality, board, turns, result, players, who delivered it
  show RNA_ID   one RNA (an ID from ls, or a unique prefix): quality and what it is made of, origin,
                when and from whom it arrived, and its propagation path back to the origin
  export        every RNA held, oldest first, for a training pipeline, to standard output:
                  --format sgf   an SGF collection (FF[4]), one game per RNA (the default)
                  --format json  one JSON object per line: the ls fields plus "sgf"
                  --format cbor  each signed RNA envelope as hex, one per line (verifiable)
                --min-quality Q  only RNA of quality Q (0 to 1) or better
  --json        ls: {"rna":[{"id":"bafy...","kind":"mrna","origin":"12D3...","from":"12D3..."|null,
                     "receivedAt":"ISO","publishedAt":"ISO","expires":"ISO","quality":0.52,"size":9,
                     "turns":31,"result":"W+R","players":{"B":"..","W":".."},"uses":0}]}
                show: {"rna":{...the ls fields, "gameId":"bafy...","end":"resign","handicap":0,
                     "novelty":1,"ratings":{"B":{"mu":25000,"sigma":8333},"W":{...}}|null,
                     "path":{"complete":true,"hops":[{"peer":"12D3...","at":"ISO"}]}|null,"bytes":N}}

Exit status: 0 on success; 1 when the RNA is unknown or the home cannot be read; 2 for bad arguments.`

export const rnaCommand: Command = {
  path: ['rna'],
  usage,
  async run (args, io) {
    const parsed = parseCommandArgs({ args: [...args], options: { ...nodeFlagOptions, json: { type: 'boolean' }, format: { type: 'string' }, 'min-quality': { type: 'string' } }, strict: true, allowPositionals: true })
    const { values, positionals } = parsed
    const op = positionals[0]
    if (op !== 'ls' && op !== 'show' && op !== 'export') throw new UsageError('say ls, show RNA_ID or export')
    if (op === 'show' && positionals.length !== 2) throw new UsageError('name exactly one RNA ID')
    if (op !== 'show' && positionals.length !== 1) throw new UsageError(`rna ${op} takes no ID`)
    const format = values.format ?? 'sgf'
    if (format !== 'sgf' && format !== 'json' && format !== 'cbor') throw new UsageError(`--format must be sgf, json or cbor, got ${format}`)
    if (op !== 'export' && (values.format != null || values['min-quality'] != null)) throw new UsageError('--format and --min-quality are for rna export')
    const minQuality = values['min-quality'] == null ? undefined : Number(values['min-quality'])
    if (minQuality != null && !(minQuality >= 0 && minQuality <= 1)) throw new UsageError(`--min-quality must be from 0 to 1, got ${values['min-quality'] ?? ''}`)
    const query: RnaQuery = { op, ...(op === 'show' ? { id: positionals[1] } : {}), ...(op === 'export' ? { format } : {}), ...(minQuality != null ? { minQuality } : {}) }
    let answer: RnaAnswer
    try {
      answer = await askNode(values, 'rna', { ...query }, async node => rnaAnswer(node, query), { network: false, warn: io.printError })
    } catch (err) {
      const code = (err as { code?: string }).code
      if (code === 'ERR_RNA' || code === 'ERR_CONTROL') {
        io.printError(`p2pgo rna: ${(err as Error).message}`)
        return 1
      }
      throw err
    }
    if (values.json === true && answer.op !== 'export') io.print(JSON.stringify(answer.op === 'ls' ? { rna: answer.rna } : { rna: answer.rna }))
    else for (const line of formatRnaAnswer(answer)) io.print(line)
    return 0
  }
}
