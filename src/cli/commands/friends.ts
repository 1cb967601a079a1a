import { openHome, resolveHome } from '../../config/home.js'
import { loadOrCreateIdentity } from '../../config/identity.js'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { NoRunningNodeError } from '../../control/control-client.js'
import { loadFriends, resolveFriend, saveFriends, withFriend, withoutFriend, type FriendEntry, type SeenPlayer } from '../../home/friends-file.js'
import { askRunningNode } from '../online-home.js'
import { parseCommandArgs, UsageError, type Command } from '../command.js'
import type { FriendRow } from '../../queries/friends-queries.js'

const homeLine = '  --home DIR   the p2pgo home (default: $P2PGO_HOME, else ~/.p2pgo)'
const exits = 'Exit status: 0 on success; 1 when the home or its friends.json cannot be used or the friend\ncannot be found; 2 for bad arguments.'

const listUsage = `Usage: p2pgo friends [--home DIR] [--json]

Lists the friends in the home's friends.json, in the order added. When a p2pgo node runs with
the same home (the terminal client, a bot), each friend's status is what that node last read from
the friend's presence record in the DHT (read every 2 minutes): open to games, away (said it
stopped being open), not found (offline), or not read yet; without a running node the status is
unknown. Add and remove friends with p2pgo friends add / remove.

${homeLine}
  --json       one line: {"running":true,"friends":[{"peer":"12D3KooW...","name":"Alice",
               "state":"open"|"away"|"not-found"|"unknown"|"no-node","sizes":[9],"checkedAt":MS}]}
               (name, sizes and checkedAt only when known)

${exits}`

const addUsage = `Usage: p2pgo friends add [--home DIR] [--json] PEER_ID|NAME

Adds a friend to the home's friends.json. A friend's presence reaches you even when their rating
is far from yours (their node puts it in the DHT, yours reads it every 2 minutes). Give the
friend's peer ID (they see it with p2pgo id), or a name: a name is looked up among the players the
node running with this home sees in its lobby, and must match exactly one of them.

${homeLine}
  --json       one line: {"added":{"peer":"12D3KooW...","name":"Alice"}}

${exits}`

const removeUsage = `Usage: p2pgo friends remove [--home DIR] [--json] PEER_ID|NAME

Removes a friend (by peer ID, or by the name the list shows) from the home's friends.json; a node
running with this home stops reading their presence at its next round (at once when it answers).

${homeLine}
  --json       one line: {"removed":{"peer":"12D3KooW...","name":"Alice"}}

${exits}`

const options = { home: { type: 'string' }, json: { type: 'boolean' } } as const

/** Asks the running node, or undefined when none runs with this home. */
async function ask (home: string, method: string): Promise<unknown> {
  try {
    return await askRunningNode(home, method)
  } catch (err) {
    if (err instanceof NoRunningNodeError) return undefined
    throw err
  }
}

const who = (f: FriendEntry): string => f.name != null ? `${f.name} (${f.peer})` : f.peer

const stateText: Record<FriendRow['state'], string> = {
  open: 'open to games',
  away: 'away (not open to games)',
  'not-found': 'offline (no presence found)',
  unknown: 'not read yet',
  'no-node': 'status unknown (no node running with this home)'
}

/** The list as text, one friend per line. Pure. */
export function formatFriends (rows: readonly FriendRow[]): string[] {
  if (rows.length === 0) return ['no friends yet: add one with p2pgo friends add PEER_ID|NAME']
  return rows.map(r => `${(r.name ?? '-').padEnd(16)} ${stateText[r.state]}${r.sizes != null && r.sizes.length > 0 ? ` on ${r.sizes.map(s => `${s}x${s}`).join(', ')}` : ''}  ${r.peer}`)
}

export const friendsCommand: Command = {
  path: ['friends'],
  usage: listUsage,
  async run (args, io) {
    const { values } = parseCommandArgs({ args: [...args], options, strict: true, allowPositionals: false })
    const home = await openHome(resolveHome({ flag: values.home, env: process.env }))
    const listed = await loadFriends(home.dir)
    const answer = await ask(home.dir, 'friends') as { friends: FriendRow[] } | undefined
    const rows: FriendRow[] = answer?.friends ?? listed.map(f => ({ ...f, state: 'no-node' as const }))
    if (values.json === true) io.print(JSON.stringify({ running: answer != null, friends: rows }))
    else for (const line of formatFriends(rows)) io.print(line)
    return 0
  }
}

function oneArg (positionals: readonly string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`give exactly one ${what}`)
  const arg = positionals[0].trim()
  if (arg === '') throw new UsageError(`give exactly one ${what}`)
  return arg
}

export const friendsAddCommand: Command = {
  path: ['friends', 'add'],
  usage: addUsage,
  async run (args, io) {
    const { values, positionals } = parseCommandArgs({ args: [...args], options, strict: true, allowPositionals: true })
    const arg = oneArg(positionals, 'PEER_ID or NAME')
    const home = await openHome(resolveHome({ flag: values.home, env: process.env }))
    const self = peerIdFromPrivateKey(await loadOrCreateIdentity(home.identityPath)).toString()
    const seen = (await ask(home.dir, 'lobby-names') as { players: SeenPlayer[] } | undefined)?.players
    const friend = resolveFriend(arg, seen)
    await saveFriends(home.dir, withFriend(await loadFriends(home.dir), friend, self))
    // A running node reloads the list when asked, and reads the new friend at once.
    await ask(home.dir, 'friends').catch(() => {})
    if (values.json === true) io.print(JSON.stringify({ added: friend }))
    else io.print(`added ${who(friend)}`)
    return 0
  }
}

export const friendsRemoveCommand: Command = {
  path: ['friends', 'remove'],
  usage: removeUsage,
  async run (args, io) {
    const { values, positionals } = parseCommandArgs({ args: [...args], options, strict: true, allowPositionals: true })
    const arg = oneArg(positionals, 'PEER_ID or NAME')
    const home = await openHome(resolveHome({ flag: values.home, env: process.env }))
    const { list, removed } = withoutFriend(await loadFriends(home.dir), arg)
    await saveFriends(home.dir, list)
    await ask(home.dir, 'friends').catch(() => {})
    if (values.json === true) io.print(JSON.stringify({ removed }))
    else io.print(`removed ${who(removed)}`)
    return 0
  }
}
