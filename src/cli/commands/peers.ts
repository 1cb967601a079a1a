import { resolveHome } from '../../config/home.js'
import { askRunningNode } from '../online-home.js'
import { parseCommandArgs, type Command } from '../command.js'
import type { RungDelivery } from '../../net/delivery-ledger.js'
import type { PeerView, SelfView } from '../../net/node.js'

const usage = `Usage: p2pgo peers [--home DIR] [--json]

Shows the peers a running p2pgo node (a bot, a bootstrap relay or the terminal client using the
same home) is connected to: each one's best rung (direct, upnp, hole-punched, relayed), its
round-trip time, how it says it is reached, and every connection; then how this node is reached
and how its game messages fared on each rung.

  --home DIR   the running node's home (default: $P2PGO_HOME, else ~/.p2pgo)
  --json       one JSON object: {"self":{...},"peers":[{...}],"delivery":{"direct":{...},...}}

Exit status: 0 on success; 1 when no node runs with that home; 2 for bad arguments.`

interface PeersAnswer {
  self: SelfView
  peers: PeerView[]
  delivery: Partial<Record<string, RungDelivery>>
}

const ms = (v: number | null | undefined): string => v == null ? '-' : `${Math.round(v)} ms`

/** The answer as text: one line per peer, then this node and the delivery statistics. */
export function formatPeers (a: PeersAnswer): string[] {
  const lines = [`${a.peers.length} peer${a.peers.length === 1 ? '' : 's'} connected`]
  for (const p of a.peers) {
    const who = p.name != null ? `${p.peer} (${p.name})` : p.peer
    lines.push(`  ${p.rung.padEnd(12)} ${ms(p.rttMs).padStart(7)}  ${who}${p.reach != null ? `  reached: ${p.reach}` : ''}`)
    for (const c of p.connections) lines.push(`      ${c.rung.padEnd(12)} ${c.direction.padEnd(8)} ${c.address}`)
  }
  lines.push(`this node: ${a.self.peer} (${a.self.name}), reached: ${a.self.reach ?? 'not from outside'}`)
  const rungs = Object.entries(a.delivery)
  if (rungs.length === 0) lines.push('no game messages sent yet')
  for (const [rung, d] of rungs) {
    if (d == null) continue
    const rate = d.successRate == null ? '-' : `${(d.successRate * 100).toFixed(1)}%`
    lines.push(`  ${rung.padEnd(12)} ${String(d.delivered).padStart(6)} delivered, ${d.failed} failed (${rate}), round trip median ${ms(d.medianMs)}, p95 ${ms(d.p95Ms)}`)
  }
  return lines
}

export const peersCommand: Command = {
  path: ['peers'],
  usage,
  async run (args, io) {
    const values = parseCommandArgs({ args: [...args], options: { home: { type: 'string' }, json: { type: 'boolean' } }, strict: true, allowPositionals: false }).values
    const home = resolveHome({ flag: values.home, env: process.env })
    const answer = await askRunningNode(home, 'peers') as PeersAnswer
    if (values.json === true) io.print(JSON.stringify(answer))
    else for (const line of formatPeers(answer)) io.print(line)
    return 0
  }
}
