import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError } from '../../src/config/config.js'
import { HomeError, findJsonSyntaxError, openHome, readConfigFile, resolveHome, writeConfigFile } from '../../src/config/home.js'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2pgo-home-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The error `promise` rejects with. */
async function rejection (promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (err) {
    return err as Error
  }
  throw new Error('expected a rejection')
}

describe('resolveHome', () => {
  const homedir = (): string => '/home/alice'

  it('prefers --home, then $P2PGO_HOME, then ~/.p2pgo', () => {
    const env = { P2PGO_HOME: '/srv/p2pgo' }
    expect(resolveHome({ flag: '/tmp/flag', env, homedir })).toBe('/tmp/flag')
    expect(resolveHome({ env, homedir })).toBe('/srv/p2pgo')
    expect(resolveHome({ env: {}, homedir })).toBe('/home/alice/.p2pgo')
  })

  it('treats an empty $P2PGO_HOME as unset but refuses an empty --home', () => {
    expect(resolveHome({ env: { P2PGO_HOME: '' }, homedir })).toBe('/home/alice/.p2pgo')
    expect(() => resolveHome({ flag: '', env: {}, homedir })).toThrow(HomeError)
  })

  it('makes relative paths absolute and expands a leading ~', () => {
    expect(resolveHome({ flag: 'games', env: {}, homedir, cwd: '/work' })).toBe('/work/games')
    expect(resolveHome({ env: { P2PGO_HOME: './h' }, homedir, cwd: '/work' })).toBe('/work/h')
    expect(resolveHome({ flag: '~/second', env: {}, homedir })).toBe('/home/alice/second')
    expect(resolveHome({ env: { P2PGO_HOME: '~' }, homedir })).toBe('/home/alice')
  })
})

describe('openHome', () => {
  it('creates a missing home with mode 0700 and reads no config.json as no overrides', async () => {
    const home = await openHome(join(dir, 'a', 'b'))
    expect(home.dir).toBe(join(dir, 'a', 'b'))
    expect((await stat(home.dir)).mode & 0o777).toBe(0o700)
    expect(home.configPath).toBe(join(home.dir, 'config.json'))
    expect(home.identityPath).toBe(join(home.dir, 'identity.key'))
    expect(home.datastorePath).toBe(join(home.dir, 'datastore'))
    expect(home.config.listen).toEqual(['/ip4/0.0.0.0/tcp/0', '/ip6/::/tcp/0', '/p2p-circuit', '/p2p-circuit', '/webrtc'])
  })

  it('layers config.json over the defaults and flags over config.json', async () => {
    await writeFile(join(dir, 'config.json'), '\uFEFF{ "mdns": false, "name": "file", "dht": { "clientMode": false } }')
    const home = await openHome(dir, { flags: { name: 'flag' } })
    expect(home.config.mdns).toBe(false)
    expect(home.config.name).toBe('flag')
    expect(home.config.dht).toEqual({ clientMode: false })
    expect(home.config.upnp).toBe(true)
  })

  it('gives the line and column of a JSON syntax error', async () => {
    const path = join(dir, 'config.json')
    await writeFile(path, '{\n  "mdns": true,\n  "upnp" false\n}\n')
    const err = await rejection(openHome(dir))
    expect(err).toBeInstanceOf(ConfigError)
    expect(err.message).toBe(`${path}: line 3, column 10: not valid JSON: unexpected "f", expected ":"`)
    await writeFile(path, '{\n  "listen": ["/ip4/0.0.0.0/tcp/0"],\n}')
    expect((await rejection(openHome(dir))).message).toBe(`${path}: line 3, column 1: not valid JSON: unexpected "}", expected a "quoted" key (JSON allows no comma before })`)
  })

  it('explains an empty config.json and a config.json that is a directory', async () => {
    const path = join(dir, 'config.json')
    await writeFile(path, ' \n')
    expect((await rejection(openHome(dir))).message).toBe(`${path}: is empty: write {} for no overrides, or delete the file`)
    await rm(path)
    await mkdir(path)
    expect((await rejection(openHome(dir))).message).toBe(`${path}: is a directory, not a JSON file`)
  })

  it('refuses an invalid config.json naming the file and field', async () => {
    const path = join(dir, 'config.json')
    await writeFile(path, JSON.stringify({ listen: ['/ip4/0.0.0.0/tcp/0', '/ip4/1.2.3'], upnpp: true }))
    const err = await rejection(openHome(dir))
    expect(err).toBeInstanceOf(ConfigError)
    expect(err.message.split('\n')).toEqual([
      `${path}: listen[1]: "/ip4/1.2.3" is not a multiaddr (Invalid IPv4 address "1.2.3")`,
      `${path}: upnpp: unknown setting (did you mean "upnp"?)`
    ])
  })

  it('validates flag overrides too, as "command line"', async () => {
    const err = await rejection(openHome(dir, { flags: { logLevel: 'loud' as never } }))
    expect(err.message).toBe('command line: logLevel: expected one of "silent", "error", "warn", "info", "debug", "trace", got "loud"')
  })

  it('refuses a home that is a file', async () => {
    const file = join(dir, 'file')
    await writeFile(file, 'x')
    const err = await rejection(openHome(file))
    expect(err).toBeInstanceOf(HomeError)
    expect((err as HomeError).reason).toBe('not-a-directory')
    expect(err.message).toMatch(/is not a directory; choose another home with --home DIR or \$P2PGO_HOME/)
  })
})

describe('writeConfigFile', () => {
  it('writes JSON that reads back, owner-only, and refuses an invalid configuration', async () => {
    const path = join(dir, 'config.json')
    await writeConfigFile(path, { mdns: false, listen: ['/ip4/127.0.0.1/tcp/4001'] })
    expect(await readConfigFile(path)).toEqual({ mdns: false, listen: ['/ip4/127.0.0.1/tcp/4001'] })
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    await expect(writeConfigFile(path, { mdns: 'no' as never })).rejects.toThrow(`${path}: mdns: expected true or false, got "no"`)
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ mdns: false, listen: ['/ip4/127.0.0.1/tcp/4001'] })
  })
})

describe('findJsonSyntaxError', () => {
  it.each([
    ['{}', undefined],
    ['{"a":-1.5e3,"b":[null,false,{"c":"\\u00e9"}]}', undefined],
    ['{"a": tru}', 6],
    ['[1,2,]', 5],
    ['{"a": [1 2]}', 9],
    ['{"a": "x\ny"}', 8],
    ['{"a":"\\q"}', 7],
    ['{"a":"open', 10],
    ['// comment\n{}', 0],
    ['{"a":1} x', 8],
    ['{"a":01}', 6],
    ['', 0]
  ])('%j fails at %s exactly when JSON.parse fails', (text, offset) => {
    expect(findJsonSyntaxError(text)?.offset).toBe(offset)
    if (offset == null) expect(() => JSON.parse(text)).not.toThrow()
    else expect(() => JSON.parse(text)).toThrow()
  })
})

// Found by the fuzzer (test/fuzz): a config.json of 5,000 "[" threw RangeError (call stack) out of
// the syntax scanner instead of a ConfigError, so the command died with a stack trace.
describe('a config.json nested deeper than anyone writes', () => {
  it.each([
    ['unclosed', '['.repeat(100_000)],
    ['unclosed objects', '{"a":'.repeat(50_000)]
  ])('%s is refused with a ConfigError that says so', async (_name, text) => {
    const path = join(dir, 'config.json')
    await writeFile(path, text)
    const err = await rejection(readConfigFile(path))
    expect(err).toBeInstanceOf(ConfigError)
    expect(err.message).toMatch(/nested more than \d+ levels/)
  })

  it('findJsonSyntaxError names the depth instead of overflowing the stack', () => {
    expect(findJsonSyntaxError('['.repeat(100_000))?.message).toMatch(/nested more than \d+ levels/)
  })
})
