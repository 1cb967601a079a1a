import { join } from 'node:path'
import { resolveHome, openHome } from '../../config/home.js'
import { App } from '../../tui/app.js'
import { wantsAscii } from '../../tui/terminal.js'
import { parseCommandArgs, UsageError, type Command } from '../command.js'
import { LocalNetwork } from '../local-network.js'
import { listenFlagOptions, listenFlags, nodeFlagOptions, openNode, type NodeFlags } from '../online-home.js'
import { stopSignals } from '../stop-signals.js'
import type { P2pgoNode } from '../../net/node.js'

const usage = `Usage: p2pgo play [--home DIR] [--bootstrap MA,...] [--listen MA,... | --port N] [--no-relay]
                  [--local] [--rendezvous MA,... | --no-rendezvous] [--no-bots] [--size 9|13|19] [--ascii]

The terminal client: the lobby (players, ratings, reputation, connections, seeks, challenges,
quick match), the board (keyboard, mouse or typed moves; clocks; chat), counting and the result
with the rating change, the reputation inspector and the RNA browser. ? lists every key.
\`npm start\` and \`p2pgo\` with no command run this.

Which network it joins:
  - the bootstrap peers given with --bootstrap or in config.json, when there are any;
  - else p2pgo peers found on the LAN (mDNS) within a few seconds;
  - else a local network it starts on 127.0.0.1: a bootstrap relay and two bots (GNU Go when
    installed, the built-in player otherwise) in DIR/local-network, so a game can start at once.
    They stop when the client does.

  --home DIR         the p2pgo home (default: $P2PGO_HOME, else ~/.p2pgo); an unfinished game in it
                     is resumed
  --bootstrap MA,... peers to join the network through
  --listen MA,...    addresses to listen on; without /p2p-circuit or /webrtc entries the two
                     relay slots and WebRTC are kept (unless only loopback addresses are given)
  --port N           TCP on every interface at port N, the rest of the default set kept
  --no-relay         no relay reservation and no WebRTC (behind a NAT, reachable only by UPnP)
  --rendezvous MA,... Amino-protocol peers to find p2pgo peers through (default: the public
                    IPFS DHT via libp2p's bootstrap peers; none with --local unless given)
  --no-rendezvous   never ask the public IPFS DHT for p2pgo peers, nor publish this node there
  --local            stay on this machine: no mDNS, no UPnP; with no bootstrap peers, the local network
  --no-bots          never start the local network: wait for peers instead
  --size N           the board size the lobby starts on (9, 13 or 19; z changes it)
  --ascii            plain ASCII drawing (also when the locale is not UTF-8)

Exit status: 0 when the player quits; 1 when stdout or stdin is not a terminal, or on an error
(the home is in use); 2 for bad arguments.`

/** How long the client listens for p2pgo peers on the LAN before it starts a local network. */
export const LAN_WAIT_MS = 3000
/** How long the client waits for a bootstrap peer before it says none answered (it keeps trying after). */
const BOOTSTRAP_WAIT_MS = 5000

export const playCommand: Command = {
  path: ['play'],
  usage,
  async run (args, io) {
    const values = parseCommandArgs({
      args: [...args],
      options: { ...nodeFlagOptions, ...listenFlagOptions, 'no-bots': { type: 'boolean' }, size: { type: 'string' }, ascii: { type: 'boolean' } },
      strict: true
    }).values
    const listen = listenFlags(values)
    const size = Number(values.size ?? '9')
    if (size !== 9 && size !== 13 && size !== 19) throw new UsageError(`--size must be 9, 13 or 19, got ${values.size ?? ''}`)
    if (process.stdout.isTTY !== true || process.stdin.isTTY !== true) {
      io.printError('p2pgo play: the terminal client needs a terminal, and stdout or stdin is not one. Run it in a terminal; for scripts there are `p2pgo bot`, `p2pgo games`, `p2pgo rating` and the others (p2pgo --help).')
      return 1
    }
    const dir = resolveHome({ flag: values.home, env: process.env })
    const home = await openHome(dir)
    const bootstrap = values.bootstrap ?? (home.config.bootstrap.length > 0 ? home.config.bootstrap.join(',') : undefined)
    let local: LocalNetwork | undefined
    let opened: { node: P2pgoNode, close: () => Promise<void> } | undefined
    let network = ''
    try {
      if (bootstrap != null) {
        opened = await openNode({ ...values, ...listen }, 'player', listen.extra, io.printError)
        await opened.node.start()
        const count = bootstrap.split(',').length
        network = await anyPeer(opened.node, BOOTSTRAP_WAIT_MS)
          ? `joined the network through ${count} bootstrap peer(s)`
          : `no bootstrap peer answered within ${BOOTSTRAP_WAIT_MS / 1000} s (${count} configured): the lobby fills once one does; if it stays empty, check config.json "bootstrap" (or --bootstrap)`
      } else {
        if (values.local !== true) {
          io.print(`p2pgo: no bootstrap peers configured; looking for p2pgo peers on the LAN (mDNS, ${LAN_WAIT_MS / 1000} s)…`)
          opened = await openNode({ ...values, ...listen }, 'player', listen.extra, io.printError)
          await opened.node.start()
          if (await anyPeer(opened.node, LAN_WAIT_MS)) network = 'joined p2pgo peers found on the LAN (mDNS)'
          else {
            await opened.close()
            opened = undefined
          }
        }
        if (opened == null) {
          if (values['no-bots'] === true) {
            opened = await openNode({ ...values, ...listen }, 'player', listen.extra, io.printError)
            await opened.node.start()
            network = 'no peers yet (--no-bots): others appear as they join'
          } else {
            io.print(`p2pgo: nobody around; starting a local network on 127.0.0.1 (a relay and bots) in ${join(dir, 'local-network')}…`)
            local = new LocalNetwork(join(dir, 'local-network'))
            const relay = await local.startRelay()
            const flags: NodeFlags = { ...values, local: true, bootstrap: relay, listen: listen.listen ?? '/ip4/127.0.0.1/tcp/0' }
            opened = await openNode(flags, 'player', listen.extra, io.printError)
            await opened.node.start()
            await anyPeer(opened.node, 5000)
            network = `local network on 127.0.0.1: a relay and ${local.engine.label} bots (p2pgo play --help)`
          }
        }
      }
      const app = new App({ node: opened.node, ascii: wantsAscii(values.ascii === true, process.env), size, network })
      // The bots start once the client is in the lobby (see LocalNetwork).
      if (local != null) setTimeout(() => { local?.startBots() }, 0)
      // A terminal closed or a supervisor's SIGTERM: quit as `q` does (a game resumes on the next start).
      const signals = stopSignals(['SIGTERM', 'SIGHUP'])
      signals.stop.addEventListener('abort', () => { app.quit(true) })
      try {
        await app.run()
      } finally {
        signals.dispose()
        app.destroy()
      }
      return 0
    } finally {
      await opened?.close()
      await local?.stop()
    }
  }
}

/** Whether the node connects to anyone within `ms`. */
async function anyPeer (node: P2pgoNode, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (node.peers().length > 0) return true
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return node.peers().length > 0
}
