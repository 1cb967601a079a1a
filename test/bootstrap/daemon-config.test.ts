import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultDaemonConfig, loadDaemonConfig, mergeDaemonConfig, parseDaemonConfig, parseHostPort, validateDaemonConfig } from '../../bootstrap/daemon-config.js'
import { defaultRelayLimits } from '../../bootstrap/relay-limits.js'
import { ConfigError } from '../../src/config/config.js'

let dir: string
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'p2pgo-daemon-config-')) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

/** The message a bootstrap.json with `text` is refused with. */
function refusal (text: string): string {
  try {
    parseDaemonConfig(text, 'bootstrap.json')
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message
  }
  throw new Error('expected the file to be refused')
}

describe('daemon config defaults', () => {
  it('are frozen and complete', () => {
    expect(Object.isFrozen(defaultDaemonConfig)).toBe(true)
    expect(Object.isFrozen(defaultDaemonConfig.listen)).toBe(true)
    expect(defaultDaemonConfig.relay).toBe(defaultRelayLimits)
    expect(defaultDaemonConfig).toMatchObject({ metrics: null, stunPort: 3478, shutdownGraceMs: 60_000 })
  })
})

describe('bootstrap.json', () => {
  it('applies a good file over the defaults, the relay key by key', () => {
    const config = parseDaemonConfig(JSON.stringify({
      listen: ['/ip4/0.0.0.0/tcp/4002'],
      announce: ['/ip4/203.0.113.7/tcp/4002', '/dns4/relay.example.org/tcp/4002'],
      metrics: '[::1]:9464',
      stunPort: 0,
      shutdownGraceMs: 0,
      relay: { maxReservationsPerIp: 16, circuitDurationMs: 3 * 60 * 60 * 1000 }
    }), 'bootstrap.json')
    expect(config).toEqual({
      listen: ['/ip4/0.0.0.0/tcp/4002'],
      announce: ['/ip4/203.0.113.7/tcp/4002', '/dns4/relay.example.org/tcp/4002'],
      metrics: '[::1]:9464',
      stunPort: 0,
      shutdownGraceMs: 0,
      relay: { ...defaultRelayLimits, maxReservationsPerIp: 16, circuitDurationMs: 3 * 60 * 60 * 1000 }
    })
  })

  it('takes {} and a byte-order mark as no overrides, and null metrics as off', () => {
    expect(parseDaemonConfig('\uFEFF{}', 'bootstrap.json')).toEqual(defaultDaemonConfig)
    expect(parseDaemonConfig('{"metrics": null}', 'bootstrap.json').metrics).toBeNull()
    expect(mergeDaemonConfig(defaultDaemonConfig, { metrics: '127.0.0.1:9464' }, { metrics: null }).metrics).toBeNull()
  })

  it('takes a rendezvous list (absent: the default one; [] publishes nowhere)', () => {
    const peer = '/ip4/203.0.113.9/tcp/4001/p2p/12D3KooWLeDRt4jUpoEW4RHq68DFT2QNp5ooksmC5s1MMvqRhKK4'
    expect(parseDaemonConfig(JSON.stringify({ rendezvous: [peer] }), 'bootstrap.json').rendezvous).toEqual([peer])
    expect(parseDaemonConfig('{"rendezvous": []}', 'bootstrap.json').rendezvous).toEqual([])
    expect(parseDaemonConfig('{}', 'bootstrap.json')).not.toHaveProperty('rendezvous')
    expect(mergeDaemonConfig(defaultDaemonConfig, { rendezvous: [peer] }, { stunPort: 0 }).rendezvous).toEqual([peer])
    expect(mergeDaemonConfig(defaultDaemonConfig, { rendezvous: [peer] }, { rendezvous: [] }).rendezvous).toEqual([])
  })

  it.each([
    ['a negative relay limit', { relay: { maxReservationsPerIp: -3 } }, 'bootstrap.json: relay.maxReservationsPerIp: must be a whole number from 1 to 100000, got -3'],
    ['a fractional relay limit', { relay: { maxCircuits: 1.5 } }, 'bootstrap.json: relay.maxCircuits: must be a whole number from 1 to 100000, got 1.5'],
    ['a relay limit as a string', { relay: { circuitDataBytes: '64MiB' } }, 'bootstrap.json: relay.circuitDataBytes: must be a whole number from 16384 to 9007199254740991 (bytes), got "64MiB"'],
    ['a per-IP cap above the total', { relay: { maxReservations: 4, maxReservationsPerIp: 8 } }, 'bootstrap.json: relay.maxReservationsPerIp: must not exceed maxReservations (4), got 8'],
    ['a misspelt relay limit', { relay: { maxReservationPerIp: 3 } }, 'bootstrap.json: relay.maxReservationPerIp: unknown setting (did you mean "maxReservationsPerIp"?)'],
    ['relay not an object', { relay: 5 }, 'bootstrap.json: relay: expected an object of relay limits like {"maxReservationsPerIp": 8}, got 5'],
    ['an unknown key', { stunport: 3478 }, 'bootstrap.json: stunport: unknown setting (did you mean "stunPort"?)'],
    ['an unrelated unknown key', { colour: 'blue' }, 'bootstrap.json: colour: unknown setting (known: listen, announce, metrics, stunPort, shutdownGraceMs, relay, rendezvous)'],
    ['a rendezvous peer without its ID', { rendezvous: ['/ip4/203.0.113.9/tcp/4001'] }, 'bootstrap.json: rendezvous[0]:'],
    ['a bad multiaddr', { listen: ['/ip4/0.0.0.0/tcp/4001', '/ip4/999.0.0.1/tcp/1'] }, 'bootstrap.json: listen[1]: "/ip4/999.0.0.1/tcp/1" is not a multiaddr'],
    ['a single announce string', { announce: '/ip4/203.0.113.7/tcp/4001' }, 'bootstrap.json: announce: expected a list of multiaddr strings, got a single string; write ["/ip4/203.0.113.7/tcp/4001"]'],
    ['metrics without a port', { metrics: '127.0.0.1' }, 'bootstrap.json: metrics: "127.0.0.1" is not "HOST:PORT"'],
    ['metrics as a number', { metrics: 9464 }, 'bootstrap.json: metrics: expected "HOST:PORT" or null, got 9464'],
    ['a STUN port out of range', { stunPort: 70000 }, 'bootstrap.json: stunPort: must be a whole number from 0 to 65535 (0 picks a free port), got 70000'],
    ['a negative grace', { shutdownGraceMs: -1 }, 'bootstrap.json: shutdownGraceMs: must be a whole number from 0 to 86400000 (ms), got -1'],
    ['not an object', [1, 2], 'bootstrap.json: expected a JSON object of settings, got a list']
  ])('refuses %s', (_name, value, message) => {
    expect(refusal(JSON.stringify(value))).toContain(message)
  })

  it('lists every problem, one per line', () => {
    const message = refusal(JSON.stringify({ stunPort: -1, relay: { maxCircuitsPerPeer: 0, hopTimeoutMs: 5 } }))
    expect(message.split('\n')).toEqual([
      'bootstrap.json: stunPort: must be a whole number from 0 to 65535 (0 picks a free port), got -1',
      'bootstrap.json: relay.maxCircuitsPerPeer: must be a whole number from 1 to 30, got 0',
      'bootstrap.json: relay.hopTimeoutMs: must be a whole number from 1000 to 300000 (ms), got 5'
    ])
  })

  it.each([
    ['a missing comma', '{"stunPort": 3478 "metrics": null}', 'bootstrap.json: line 1, column 19: not valid JSON: unexpected "\\"", expected "," or "}"'],
    ['a trailing comma', '{\n  "stunPort": 3478,\n}', 'bootstrap.json: line 3, column 1: not valid JSON: unexpected "}", expected a "quoted" key (JSON allows no comma before })'],
    ['an empty file', '  \n', 'bootstrap.json: is empty: write {} for no overrides, or delete the file']
  ])('refuses malformed JSON: %s', (_name, text, message) => {
    expect(refusal(text)).toBe(message)
  })

  it('validates flag-style overrides the same way, undefined meaning not given', () => {
    expect(validateDaemonConfig({ stunPort: undefined, relay: { maxCircuits: undefined } }, 'command line')).toEqual({ stunPort: undefined, relay: { maxCircuits: undefined } })
    expect(() => validateDaemonConfig({ stunPort: 'x' }, 'command line')).toThrow('command line: stunPort: must be a whole number')
  })
})

describe('loadDaemonConfig', () => {
  it('gives the defaults when the file is missing', async () => {
    expect(await loadDaemonConfig(join(dir, 'missing.json'))).toEqual(defaultDaemonConfig)
  })

  it('reads a file, and names it in errors', async () => {
    const path = join(dir, 'bootstrap.json')
    await writeFile(path, JSON.stringify({ relay: { maxReservationsPerIp: 3 } }))
    expect((await loadDaemonConfig(path)).relay.maxReservationsPerIp).toBe(3)
    await writeFile(path, JSON.stringify({ relay: { maxReservationsPerIp: -3 } }))
    await expect(loadDaemonConfig(path)).rejects.toThrow(`${path}: relay.maxReservationsPerIp: must be a whole number from 1 to 100000, got -3`)
  })

  it('refuses a directory', async () => {
    const path = join(dir, 'a-directory.json')
    await mkdir(path)
    await expect(loadDaemonConfig(path)).rejects.toThrow(`${path}: is a directory, not a JSON file`)
  })
})

describe('parseHostPort', () => {
  it.each([
    ['127.0.0.1:9464', { host: '127.0.0.1', port: 9464 }],
    ['[::1]:9464', { host: '::1', port: 9464 }],
    ['metrics.example.org:80', { host: 'metrics.example.org', port: 80 }],
    ['0.0.0.0:65535', { host: '0.0.0.0', port: 65535 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['127.0.0.1:65536', undefined],
    ['::1:9464', undefined],
    ['[not-v6]:9464', undefined],
    [':9464', undefined],
    ['host name:1', undefined]
  ])('%s', (text, parsed) => {
    expect(parseHostPort(text)).toEqual(parsed)
  })
})

// Found by the fuzzer (test/fuzz): a bootstrap.json of 5,000 "[" threw RangeError (call stack)
// instead of a ConfigError, so the relay died with a stack trace at start.
describe('a bootstrap.json nested deeper than anyone writes', () => {
  it('is refused with a ConfigError that says so', () => {
    expect(refusal('['.repeat(100_000))).toMatch(/nested more than \d+ levels/)
  })
})
