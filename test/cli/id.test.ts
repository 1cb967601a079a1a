import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { runCli } from '../helpers/cli.js'
import { idAddresses } from '../../src/cli/commands/id.js'
import { ConfigError } from '../../src/config/config.js'

const peerIdPattern = /^12D3KooW[1-9A-HJ-NP-Za-km-z]{44}$/

let dir: string
let savedEnv: string | undefined
let count = 0

/** A fresh, not yet existing home path under the test's temp directory. */
function newHome (): string {
  return join(dir, `home-${count++}`)
}

/** The peer ID stored in a home's identity file, read independently of p2pgo's code. */
async function storedPeerId (home: string): Promise<string> {
  return peerIdFromPrivateKey(privateKeyFromProtobuf(await readFile(join(home, 'identity.key')))).toString()
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2pgo-id-'))
  // runCli passes this process's environment on: point $P2PGO_HOME at a temp home so no run can reach ~/.p2pgo.
  savedEnv = process.env.P2PGO_HOME
  process.env.P2PGO_HOME = join(dir, 'env-home')
})

afterAll(async () => {
  if (savedEnv == null) delete process.env.P2PGO_HOME
  else process.env.P2PGO_HOME = savedEnv
  await rm(dir, { recursive: true, force: true })
})

describe('p2pgo id', () => {
  it('creates the home and identity on first use and prints exactly one JSON line', async () => {
    const home = newHome()
    const { code, stdout, stderr } = await runCli(['id', '--home', home, '--json'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const peerId = await storedPeerId(home)
    expect(peerId).toMatch(peerIdPattern)
    expect(stdout).toBe(`{"peerId":"${peerId}","addresses":[]}\n`)
    expect(Object.keys(JSON.parse(stdout))).toEqual(['peerId', 'addresses'])
    expect((await stat(home)).mode & 0o777).toBe(0o700)
    expect((await stat(join(home, 'identity.key'))).mode & 0o777).toBe(0o600)
    // No datastore, no config written: `id` reads the identity and nothing else.
    expect(await readdir(home)).toEqual(['identity.key'])
  })

  it('prints the same peer ID on every run, plain or JSON', async () => {
    const home = newHome()
    const first = JSON.parse((await runCli(['id', '--json', '--home', home])).stdout)
    const second = JSON.parse((await runCli(['id', '--home', home, '--json'])).stdout)
    expect(second.peerId).toBe(first.peerId)
    const plain = await runCli(['id', '--home', home])
    expect(plain.code).toBe(0)
    expect(plain.stdout).toBe(`${first.peerId}\n`)
  })

  it('lists announce addresses, then only listen addresses with a concrete IP and port, each ending in /p2p/<id>', async () => {
    const home = newHome()
    await mkdir(home)
    const relay = '12D3KooWHwFAexJReq7jVQznCPTbZjSYjzQSbt6ncuqJF315eh24'
    await writeFile(join(home, 'config.json'), JSON.stringify({
      announce: ['/dns4/go.example.org/tcp/4001', `/ip4/192.0.2.7/tcp/4001/p2p/${relay}/p2p-circuit`],
      listen: [
        '/ip4/0.0.0.0/tcp/0',
        '/ip4/0.0.0.0/tcp/4001',
        '/ip6/::/tcp/4001',
        '/ip4/192.168.1.20/tcp/0',
        '/ip4/127.0.0.1/tcp/4001',
        '/ip6/::1/udp/4002/quic-v1',
        '/ip4/127.0.0.1/udp/4003/webrtc-direct',
        '/p2p-circuit',
        '/webrtc'
      ]
    }))
    const { code, stdout, stderr } = await runCli(['id', '--home', home, '--json'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const peerId = await storedPeerId(home)
    expect(JSON.parse(stdout)).toEqual({
      peerId,
      addresses: [
        `/dns4/go.example.org/tcp/4001/p2p/${peerId}`,
        `/ip4/192.0.2.7/tcp/4001/p2p/${relay}/p2p-circuit/p2p/${peerId}`,
        `/ip4/127.0.0.1/tcp/4001/p2p/${peerId}`,
        `/ip6/::1/udp/4002/quic-v1/p2p/${peerId}`
      ]
    })
    const plain = await runCli(['id', '--home', home])
    expect(plain.stdout.trimEnd().split('\n')).toEqual([peerId, ...JSON.parse(stdout).addresses])
  })

  it('uses $P2PGO_HOME when there is no --home, and --home over $P2PGO_HOME', async () => {
    const envHome = newHome()
    const flagHome = newHome()
    const before = process.env.P2PGO_HOME
    process.env.P2PGO_HOME = envHome
    try {
      const fromEnv = await runCli(['id', '--json'])
      expect(fromEnv.code).toBe(0)
      expect(JSON.parse(fromEnv.stdout).peerId).toBe(await storedPeerId(envHome))
      const fromFlag = await runCli(['id', '--json', '--home', flagHome])
      expect(JSON.parse(fromFlag.stdout).peerId).toBe(await storedPeerId(flagHome))
      expect(JSON.parse(fromFlag.stdout).peerId).not.toBe(JSON.parse(fromEnv.stdout).peerId)
    } finally {
      process.env.P2PGO_HOME = before
    }
  })

  it('exits 1 with the file, field and problem on stderr for a bad config.json', async () => {
    const home = newHome()
    await mkdir(home)
    const config = join(home, 'config.json')
    await writeFile(config, JSON.stringify({ listen: ['/ip4/0.0.0.0/tcp/0', '/ip4/1.2.3'] }))
    const bad = await runCli(['id', '--home', home, '--json'])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toBe(`p2pgo id: ${config}: listen[1]: "/ip4/1.2.3" is not a multiaddr (Invalid IPv4 address "1.2.3")\n`)
    await writeFile(config, '{\n  "mdns": yes\n}\n')
    const broken = await runCli(['id', '--home', home])
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(new RegExp(`^p2pgo id: ${config.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: line 2, column 11: not valid JSON: unexpected "y"`))
    await writeFile(config, '{"mdsn": false}')
    expect((await runCli(['id', '--home', home])).stderr).toBe(`p2pgo id: ${config}: mdsn: unknown setting (did you mean "mdns"?)\n`)
  })

  it('exits 1 and leaves a corrupt identity untouched, saying what to do', async () => {
    const home = newHome()
    await runCli(['id', '--home', home])
    const key = join(home, 'identity.key')
    const truncated = (await readFile(key)).subarray(0, 30)
    await writeFile(key, truncated)
    const { code, stdout, stderr } = await runCli(['id', '--home', home, '--json'])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toContain(`p2pgo id: ${key}: the identity file is truncated or is not a libp2p private key.`)
    expect(stderr).toContain('will not replace it')
    expect(await readFile(key)).toEqual(truncated)
  })

  it('exits 2 with the usage for bad arguments', async () => {
    for (const args of [['id', 'extra'], ['id', '--jsn'], ['id', '--home'], ['id', '--home', '']]) {
      const { code, stdout, stderr } = await runCli(args)
      expect(code, args.join(' ')).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toMatch(/^p2pgo id: .*\n\nUsage: p2pgo id \[--home DIR\] \[--json\]/)
    }
  })

  it('explains in --help why wildcard and port-0 addresses are left out', async () => {
    const { code, stdout } = await runCli(['id', '--help'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/wildcard IP/)
    expect(stdout).toMatch(/port 0/)
    expect(stdout).toMatch(/cannot be dialled as written/)
  })
})

describe('idAddresses', () => {
  const me = '12D3KooWPh6jxiwdbZUoEgCdmXhDYDcdBhmFrRtECAFwuLUZzXQu'
  const other = '12D3KooWHwFAexJReq7jVQznCPTbZjSYjzQSbt6ncuqJF315eh24'

  it('keeps an address already ending in this node\'s ID and drops duplicates', () => {
    expect(idAddresses({
      announce: [`/ip4/192.0.2.1/tcp/4001/p2p/${me}`, '/ip4/192.0.2.1/tcp/4001'],
      listen: ['/ip4/192.0.2.1/tcp/4001', '/ip6/0:0:0:0:0:0:0:0/tcp/4001', '/ip4/10.0.0.2/tcp/4001/webrtc-direct']
    }, me)).toEqual([`/ip4/192.0.2.1/tcp/4001/p2p/${me}`])
  })

  it('refuses an address ending in another peer\'s ID, naming the field', () => {
    expect(() => idAddresses({ announce: [`/ip4/192.0.2.1/tcp/4001/p2p/${other}`], listen: [] }, me, 'config.json'))
      .toThrow(new ConfigError('config.json', [{ path: 'announce[0]', message: `"/ip4/192.0.2.1/tcp/4001/p2p/${other}" ends in another peer's ID, not this node's ${me}` }]))
  })
})
