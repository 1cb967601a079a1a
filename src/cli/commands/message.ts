import { askNode, nodeFlagOptions, type NodeFlags } from '../online-home.js'
import { parseCommandArgs, UsageError, type Command } from '../command.js'
import { messageAnswer } from '../../queries/post-queries.js'
import { checkText, TEXT_MAX_CHARS } from '../../net/post/index.js'

const usage = `Usage: p2pgo message [--home DIR] [--json] [--expires DAYS] PEER_ID|NAME TEXT

Sends a short message (${TEXT_MAX_CHARS} characters at most, one line) to a player: at once when they
are online, else it waits at their relays until they come back (a week, or DAYS up to 30) and
shows in their p2pgo inbox. NAME is a player you have seen: in the lobby, among your friends, or
an opponent of a game in this home; it must match exactly one.

Asks the p2pgo node running with the home; when none runs, starts one for the command.

  --home DIR      the p2pgo home (default: $P2PGO_HOME, else ~/.p2pgo)
  --expires DAYS  how long it waits for an offline player (default 7, at most 30)
  --json          one line: {"to":"12D3KooW...","via":"direct"|"mailbox","held":["12D3KooW..."]}
                  ("held": the relays that keep it, when it went to the mailbox)

Exit status: 0 when the player or one of their relays has it; 1 when nobody took it (the player
was never seen with a relay address, or the relays refused); 2 for bad arguments (an empty or too
long message).`

/** `--expires DAYS` as a number of days, from more than 0 to 30. */
export function expiresDays (text: string | undefined): number | undefined {
  if (text == null) return undefined
  const days = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text) || !(days > 0 && days <= 30)) throw new UsageError(`--expires must be a number of days from more than 0 to 30, got ${text}`)
  return days
}

export const messageCommand: Command = {
  path: ['message'],
  usage,
  async run (args, io) {
    const { values, positionals } = parseCommandArgs({ args: [...args], options: { ...nodeFlagOptions, json: { type: 'boolean' }, expires: { type: 'string' } }, strict: true, allowPositionals: true })
    if (positionals.length < 2) throw new UsageError('give the player (PEER_ID or NAME) and the text')
    const [to, ...words] = positionals
    const text = words.join(' ')
    try {
      checkText(text)
    } catch (err) {
      throw new UsageError((err as Error).message)
    }
    const days = expiresDays(values.expires)
    const params = { to, text, ...(days != null ? { expiresDays: days } : {}) }
    const r = await askNode(values as NodeFlags, 'message', params, async (node, signal) => await messageAnswer(node, params, signal), { warn: line => { io.printError(line) } })
    if (values.json === true) io.print(JSON.stringify(r))
    else io.print(r.via === 'direct' ? `sent to ${r.to}` : `${r.to} is offline: the message waits at their relays (${(r.held ?? []).length}) until they come back`)
    return 0
  }
}
