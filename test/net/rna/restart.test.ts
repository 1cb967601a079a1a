// The RNA store and reputation survive a crash. A node in another process receives an
// RNA (and so records reputation), is killed with SIGKILL, and its home is opened again here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { closeDatastore, openDatastore, p2pgoStore } from '../../../src/config/datastore.js'
import { defaultConfig } from '../../../src/config/config.js'
import { P2pgoNode } from '../../../src/net/node.js'
import { stopAll } from '../rating/harness.js'
import { playLongGame, startNode, until, type NetNode } from './harness.js'
import type { CID } from 'multiformats/cid'

const dist = (path: string): string => JSON.stringify(new URL(`../../../dist/src/${path}`, import.meta.url).href)

describe('RNA store and reputation after a crash', () => {
  let dir: string
  let players: NetNode[] = []
  let child: ChildProcess | undefined
  let rnaId: CID
  let origin: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'p2pgo-rna-restart-'))
    players = [await startNode([], 'black', undefined, { monitor: false }), await startNode([], 'white', undefined, { monitor: false })]
    await players[0].node.libp2p.dial(players[1].node.libp2p.getMultiaddrs()[0])
    const script = `
      import '${JSON.parse(dist('polyfill.js'))}'
      import { generateKeyPair } from '@libp2p/crypto/keys'
      import { multiaddr } from '@multiformats/multiaddr'
      import { openDatastore, p2pgoStore } from ${dist('config/datastore.js')}
      import { defaultConfig } from ${dist('config/config.js')}
      import { P2pgoNode } from ${dist('net/node.js')}
      const datastore = await openDatastore(${JSON.stringify(join(dir, 'datastore'))})
      const config = { ...defaultConfig({ userName: 'watcher' }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [], relayServer: 'off' }
      const node = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: p2pgoStore(datastore), config, role: 'player', privateNetwork: true, connectionMonitor: false })
      node.rna.addEventListener('rna:accepted', async e => {
        await node.reputation.flush()
        process.stdout.write('have ' + e.detail.id + '\\n')
      })
      await node.start()
      await node.libp2p.dial(multiaddr(${JSON.stringify(players[1].node.libp2p.getMultiaddrs()[0].toString())}))
      process.stdout.write('up\\n')
      setInterval(() => {}, 60_000)`
    child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('../../../', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d })
    await until(() => out.includes('up'), 'the watcher node to start', 30_000)
    await until(() => players[1].node.libp2p.services.pubsub.getSubscribers('/p2pgo/rna/1').length >= 2, 'the watcher on the RNA topic', 20_000)
    const published = new Promise<string>(resolve => { players[1].node.rna.addEventListener('rna:published', e => { resolve(e.detail.id) }, { once: true }) })
    await playLongGame(players[0], players[1], 30, 9, 'black')
    const id = await published
    await until(() => out.includes(`have ${id}`), 'the watcher to keep the RNA', 30_000)
    child.kill('SIGKILL')
    await new Promise(resolve => child?.once('exit', resolve))
    const { CID } = await import('multiformats/cid')
    rnaId = CID.parse(id)
    origin = players[1].node.peerId
  }, 120_000)

  afterAll(async () => {
    if (child?.exitCode == null && child?.signalCode == null) child?.kill('SIGKILL')
    await stopAll(players)
    await rm(dir, { recursive: true, force: true })
  })

  it('finds the RNA, its meta and the origin\'s reputation in the reopened home', async () => {
    const datastore = await openDatastore(join(dir, 'datastore'))
    const config = { ...defaultConfig({ userName: 'watcher' }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [], relayServer: 'off' as const }
    const node = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: p2pgoStore(datastore), config, role: 'player', privateNetwork: true, connectionMonitor: false })
    await node.start()
    try {
      const list = await node.rna.list()
      expect(list.map(r => r.id.toString())).toEqual([rnaId.toString()])
      expect(list[0].meta.origin).toBe(origin)
      expect(list[0].meta.from).toBe(origin)
      const stored = await node.rna.get(rnaId.toString())
      expect(stored?.bytes.length).toBeGreaterThan(1000)
      const b = node.reputation.breakdown(origin)
      expect(b?.originated.count).toBe(1)
      expect(node.reputation.trust(origin)).toBeGreaterThan(0.5)
    } finally {
      await node.stop()
      await closeDatastore(datastore)
    }
  }, 60_000)
})
