import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ConfigError } from '../../config/config.js'
import { HomeError, openHome, resolveHome } from '../../config/home.js'
import { IdentityError, loadOrCreateIdentity } from '../../config/identity.js'
import { parseCommandArgs, UsageError, type Command } from '../command.js'
import type { P2pgoConfig } from '../../config/config.js'
import type { CommandIo } from '../io.js'

const usage = `Usage: p2pgo id [--home DIR] [--json]

Prints this node's peer ID, then the addresses other players can dial it at, one per line.
Reads the identity in the home, creating the home and a new identity on first use; it never
starts the node or touches the network.

  --home DIR   the p2pgo home (default: $P2PGO_HOME, else ~/.p2pgo)
  --json       one line: {"peerId":"12D3KooW...","addresses":["/ip4/.../tcp/4001/p2p/12D3KooW...",...]}

The addresses are the configured announce addresses, then the listen addresses that name a
concrete IP and a non-zero port, each ending in /p2p/<peer ID>. Listen addresses on a wildcard IP
(0.0.0.0, ::), on port 0, or without an IP (/p2p-circuit, /webrtc) are left out: the interface
and port they stand for are only known once the node runs, so they cannot be dialled as written.
With the default configuration the list is empty.

Exit status: 0 on success; 1 when the home, its config.json or its identity cannot be used;
2 for bad arguments.`

function isWildcardIp (name: string, value: string): boolean {
  if (name === 'ip4') return value === '0.0.0.0'
  return value.split(':').every(part => /^0*$/.test(part))
}

/**
 * The addresses `p2pgo id` reports: announce addresses, then listen addresses with a concrete IP
 * and port, each ending in `/p2p/<peerId>`, without duplicates. Pure, for tests.
 */
export function idAddresses (config: Pick<P2pgoConfig, 'announce' | 'listen'>, peerId: string, source = 'config'): string[] {
  const out: string[] = []
  const add = (address: string, path: string): void => {
    const components = multiaddr(address).getComponents()
    const last = components.at(-1)
    let full = address
    if (last?.name === 'p2p') {
      // Ending in someone else's ID would send players to a different peer.
      if (last.value !== peerId) throw new ConfigError(source, [{ path, message: `"${address}" ends in another peer's ID, not this node's ${peerId}` }])
    } else {
      full = `${address.replace(/\/+$/, '')}/p2p/${peerId}`
    }
    if (!out.includes(full)) out.push(full)
  }
  config.announce.forEach((address, i) => { add(address, `announce[${i}]`) })
  config.listen.forEach((address, i) => {
    const components = multiaddr(address).getComponents()
    const [first] = components
    if (first == null || (first.name !== 'ip4' && first.name !== 'ip6') || isWildcardIp(first.name, first.value ?? '')) return
    const port = components.find(c => c.name === 'tcp' || c.name === 'udp')
    if (port == null || Number(port.value) === 0) return
    // webrtc-direct needs the certificate hash, which exists only while the node runs.
    if (components.some(c => c.name === 'webrtc-direct') && !components.some(c => c.name === 'certhash')) return
    add(address, `listen[${i}]`)
  })
  return out
}

/** Prints the peer ID and dialable addresses of the node whose home is `homeDir`. Returns the exit status. */
export async function printId (homeDir: string, json: boolean, io: CommandIo): Promise<number> {
  try {
    const home = await openHome(homeDir)
    const peerId = peerIdFromPrivateKey(await loadOrCreateIdentity(home.identityPath)).toString()
    const addresses = idAddresses(home.config, peerId, home.configPath)
    if (json) {
      io.print(JSON.stringify({ peerId, addresses }))
    } else {
      io.print(peerId)
      for (const address of addresses) io.print(address)
    }
    return 0
  } catch (err) {
    if (err instanceof ConfigError || err instanceof HomeError || err instanceof IdentityError) {
      io.printError(`p2pgo id: ${err.message}`)
      return 1
    }
    throw err
  }
}

/** `p2pgo id`: a public contract other tools parse; keep its output exact. */
export const idCommand: Command = {
  path: ['id'],
  usage,
  async run (args, io) {
    const parsed = parseCommandArgs({ args: [...args], options: { home: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: false, strict: true })
    if (parsed.values.home === '') throw new UsageError('--home needs a directory, got an empty string')
    const dir = resolveHome({ flag: parsed.values.home, env: process.env })
    return printId(dir, parsed.values.json === true, io)
  }
}
