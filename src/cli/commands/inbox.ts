import { askNode, nodeFlagOptions, type NodeFlags } from '../online-home.js'
import { parseCommandArgs, UsageError, type Command } from '../command.js'
import { acceptAnswer, dismissAnswer, inboxAnswer, type InboxAnswer, type InboxJson } from '../../queries/post-queries.js'
import { formatDays } from '../../game/correspondence.js'

const flagsLine = `  --home DIR   the p2pgo home (default: $P2PGO_HOME, else ~/.p2pgo)
  --bootstrap MA,...  --listen MA,...  --local   as for p2pgo play, when no node runs with the home`
const runs = `Asks the p2pgo node running with the home (the terminal client, a bot); when none runs, starts
one for the command, which first collects what waits at its relays, then stops.`

const listUsage = `Usage: p2pgo inbox [--home DIR] [--json]

Lists the challenges and messages waiting for you: sent while you were offline (kept by your
relays until you came back) or while you were away from the screen. Each has an ID to accept or
dismiss it with. Below them, your own offline challenges still waiting for the other player.

${runs}

${flagsLine}
  --json       one line: {"items":[{"id":"9f2c...","from":"12D3KooW...","kind":"challenge"|"message",
               "text":"...", (a message) "challenge":{"name":"Alice","terms":{"size":9,"rules":"chinese",
               "komi":7.5,"handicap":0,"placement":"fixed","tc":{...}},"color":"black"|"white"|"random"},
               (a challenge; color is the challenger's) "sent":ISO,"received":ISO,"expires":ISO}],
               "pending":[{"id":"...","peer":"12D3KooW...","state":"sent"|"accepted","terms":{...},
               "expires":ISO}]}

Exit status: 0 on success; 1 when the home or the node cannot be used; 2 for bad arguments.`

const acceptUsage = `Usage: p2pgo inbox accept [--home DIR] [--json] ID

Accepts the challenge ID from p2pgo inbox. Your acceptance, signed, goes to the challenger (at once
when they are online, else it waits at their relays); the game begins on your side when their
countersignature comes back, and shows in p2pgo games.

${runs}

${flagsLine}
  --json       one line: {"id":"<proposal id>","to":"12D3KooW...","via":"direct"|"mailbox"}

Exit status: 0 on success; 1 when there is no such challenge, it expired, or nobody could take
the acceptance; 2 for bad arguments.`

const dismissUsage = `Usage: p2pgo inbox dismiss [--home DIR] [--json] ID

Removes the item ID from the inbox. A challenge is declined: the challenger is told when that can
be done.

${runs}

${flagsLine}
  --json       one line: {"dismissed":"<id>"}

Exit status: 0 on success; 1 when there is no such item; 2 for bad arguments.`

const options = { ...nodeFlagOptions, json: { type: 'boolean' } } as const

function idArg (positionals: readonly string[]): string {
  if (positionals.length !== 1) throw new UsageError('give exactly one ID (p2pgo inbox lists them)')
  const id = positionals[0].trim().toLowerCase()
  if (!/^[0-9a-f]{8,64}$/.test(id)) throw new UsageError(`"${positionals[0]}" is not an inbox ID (p2pgo inbox lists them)`)
  return id
}

/** One item as a line of text. Pure. */
export function formatItem (i: InboxJson, now: number): string {
  const left = `expires in ${formatDays(Math.max(0, Date.parse(i.expires) - now))}`
  if (i.kind === 'message') return `${i.id}  message from ${i.from}: ${i.text ?? ''}  (${left})`
  const c = i.challenge
  const tc = c == null ? '' : c.terms.tc.kind === 'correspondence' ? `, ${formatDays(c.terms.tc.perMoveMs)} a move` : c.terms.tc.kind === 'none' ? ', no clock' : `, ${c.terms.tc.kind}`
  const color = c == null ? '' : c.color === 'random' ? 'colours by lot' : `they play ${c.color}`
  return `${i.id}  challenge from ${c?.name ?? '?'} (${i.from}): ${c?.terms.size ?? '?'}x${c?.terms.size ?? '?'}, ${c?.terms.rules ?? ''} rules, komi ${c?.terms.komi ?? ''}${tc}, ${color}  (${left})`
}

/** The inbox as text. Pure. */
export function formatInbox (a: InboxAnswer, now: number): string[] {
  const lines = a.items.length === 0 ? ['nothing waiting'] : a.items.map(i => formatItem(i, now))
  for (const p of a.pending) lines.push(`${p.id}  your challenge to ${p.peer} (${p.terms.size}x${p.terms.size}): ${p.state === 'sent' ? 'waiting for an answer' : 'accepted, waiting for their countersignature'}, expires in ${formatDays(Math.max(0, Date.parse(p.expires) - now))}`)
  if (a.items.length > 0) lines.push('accept a challenge with p2pgo inbox accept ID; remove an item with p2pgo inbox dismiss ID')
  return lines
}

export const inboxCommand: Command = {
  path: ['inbox'],
  usage: listUsage,
  async run (args, io) {
    const { values } = parseCommandArgs({ args: [...args], options, strict: true, allowPositionals: false })
    const answer = await askNode<InboxAnswer>(values as NodeFlags, 'inbox', {}, async (node, signal) => await inboxAnswer(node, { collect: true, signal }), { warn: line => { io.printError(line) } })
    if (values.json === true) io.print(JSON.stringify(answer))
    else for (const line of formatInbox(answer, Date.now())) io.print(line)
    return 0
  }
}

export const inboxAcceptCommand: Command = {
  path: ['inbox', 'accept'],
  usage: acceptUsage,
  async run (args, io) {
    const { values, positionals } = parseCommandArgs({ args: [...args], options, strict: true, allowPositionals: true })
    const id = idArg(positionals)
    const r = await askNode(values as NodeFlags, 'inbox-accept', { id }, async (node, signal) => await acceptAnswer(node, { id }, signal), { warn: line => { io.printError(line) } })
    if (values.json === true) io.print(JSON.stringify(r))
    else io.print(r.via === 'direct' ? `accepted: the challenger has your acceptance; the game begins when their countersignature arrives (p2pgo games)` : `accepted: the challenger is offline, your acceptance waits at their relays; the game begins when they come back`)
    return 0
  }
}

export const inboxDismissCommand: Command = {
  path: ['inbox', 'dismiss'],
  usage: dismissUsage,
  async run (args, io) {
    const { values, positionals } = parseCommandArgs({ args: [...args], options, strict: true, allowPositionals: true })
    const id = idArg(positionals)
    const r = await askNode(values as NodeFlags, 'inbox-dismiss', { id }, async (node, signal) => await dismissAnswer(node, { id }, signal), { warn: line => { io.printError(line) } })
    if (values.json === true) io.print(JSON.stringify(r))
    else io.print(`dismissed ${id}`)
    return 0
  }
}
