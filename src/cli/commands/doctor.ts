import { resolveHome } from '../../config/home.js'
import { NoRunningNodeError } from '../../control/control-client.js'
import { askRunningNode, nodeFlagOptions, openNode } from '../online-home.js'
import { parseCommandArgs, type Command } from '../command.js'
import { doctorAnswer, DOCTOR_WAIT_MS, type DoctorAnswer } from '../../queries/doctor.js'
import { doubleNatText } from '../../queries/doctor-advice.js'
import { natTypeText, type NatType } from '../../net/nat-type/classify.js'
import { short } from '../../queries/query-text.js'

const usage = `Usage: p2pgo doctor [--home DIR] [--json] [--bootstrap MA,...] [--stun HOST:PORT,...] [--listen MA,...] [--local]

Checks how this node stands on the network, like tailscale netcheck: how others reach it, what NAT
it is behind (asked of two STUN servers; a double NAT when the router's own UPnP external address
is private while STUN sees a public one), UPnP, IPv4 and IPv6, its relays with their round trip,
its LAN and WAN DHT peers, the rendezvous, the peer cache, and a sentence of advice per problem.
It asks the node running with the same home when there is one; otherwise it starts a node of its
own and waits up to ${DOCTOR_WAIT_MS / 1000} s (less once the facts settle).

  --home DIR          the home (default: $P2PGO_HOME, else ~/.p2pgo)
  --json              one JSON object: {"reach","nat":{"type","publicAddresses","double"},"upnp":{"ok","mapped"},
                      "ipv6","relays":[{"peer","rttMs","reservations","circuits","chosen"}],"dht":{"lan","wan"},
                      "rendezvous","peerCache","advice":[...]} (README: "Commands scripts can rely on")
  --bootstrap MA,...  bootstrap relays (default: config.json's)
  --stun HOST:PORT,.. STUN servers (default: config.json's, else the bootstrap relays' hosts)
  --listen MA,...     listen addresses of the node it starts
  --local             a network on this machine only (no mDNS, no UPnP)

Exit status: 0 when this node can play with someone (peers connected, a relay reservation, or a
public or UPnP address); 1 when it cannot; 2 for bad arguments.`

const nat = (type: string | null): string => type == null ? 'not probed (a bootstrap relay)' : natTypeText(type as NatType)

/** The answer as short aligned lines a person reads. */
export function formatDoctor (a: DoctorAnswer): string[] {
  const row = (label: string, text: string): string => `${label.padEnd(12)} ${text}`
  const lines = [
    // The status line's words when they already start with the word ("local network only (...)"), else both.
    row('reach', a.reachText.startsWith(a.reach) ? a.reachText : `${a.reach} (${a.reachText})`),
    row('NAT', `${nat(a.nat.type)}${a.nat.publicAddresses.length > 0 ? `, seen as ${a.nat.publicAddresses.join(', ')}` : ''}${a.nat.double === true ? `; double NAT (${doubleNatText(a.nat.gatewayAddress)})` : ''}`),
    row('UPnP', a.upnp.ok == null ? 'off' : a.upnp.mapped != null ? `mapped ${a.upnp.mapped}` : 'no mapping'),
    row('IPv4', a.ipv4.listening ? 'listening' : 'not listening'),
    row('IPv6', `${a.ipv6.globalAddress ? 'global address' : 'no global address'}, ${a.ipv6.listening ? 'listening' : 'not listening'}`),
    row('peers', `${a.peers} connected`)
  ]
  if (a.relays.length === 0) lines.push(row('relays', 'none known'))
  a.relays.forEach((r, i) => {
    const rtt = r.rttMs == null ? 'no answer' : `${r.rttMs} ms`
    const load = r.reservations == null ? 'load not reported' : `${r.reservations} reservations, ${r.circuits ?? '?'} circuits`
    lines.push(row(i === 0 ? 'relays' : '', `${short(r.peer)}  ${rtt.padStart(9)}  ${load}${r.chosen ? '  holds this node\'s slot' : ''}`))
  })
  lines.push(row('DHT peers', `LAN ${a.dht.lan}, WAN ${a.dht.wan}`))
  lines.push(row('rendezvous', a.rendezvous == null ? 'not run by this node' : a.rendezvous.ok ? `ok, ${a.rendezvous.found} found` : 'not reached'))
  lines.push(row('peer cache', a.peerCache == null ? 'none' : `${a.peerCache} peer${a.peerCache === 1 ? '' : 's'}`))
  lines.push(a.canPlay ? 'can play: yes' : 'can play: no, no path to any player')
  for (const advice of a.advice) lines.push(`- ${advice}`)
  return lines
}

export const doctorCommand: Command = {
  path: ['doctor'],
  usage,
  async run (args, io) {
    const values = parseCommandArgs({ args: [...args], options: { ...nodeFlagOptions, json: { type: 'boolean' } }, strict: true, allowPositionals: false }).values
    const home = resolveHome({ flag: values.home, env: process.env })
    let answer: DoctorAnswer
    try {
      answer = await askRunningNode(home, 'doctor', {}, DOCTOR_WAIT_MS + 10_000) as DoctorAnswer
    } catch (err) {
      if (!(err instanceof NoRunningNodeError)) throw err
      const { node, close } = await openNode(values, 'player', {}, line => { io.printError(line) })
      try {
        await node.start()
        answer = await doctorAnswer(node, { waitMs: DOCTOR_WAIT_MS })
      } finally {
        await close()
      }
    }
    if (values.json === true) io.print(JSON.stringify(answer))
    else for (const line of formatDoctor(answer)) io.print(line)
    return answer.canPlay ? 0 : 1
  }
}
