import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Key } from 'interface-datastore'
import { HomeInUseError, closeDatastore, openDatastore, p2pgoStore } from '../../src/config/datastore.js'

/** The compiled module (test/global-setup.ts builds dist/), so another process can hold the lock. */
const compiled = new URL('../../dist/src/config/datastore.js', import.meta.url).href

let dir: string
let path: string
const children: ChildProcess[] = []

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2pgo-datastore-'))
  path = join(dir, 'datastore')
})

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode == null && child.signalCode == null) child.kill('SIGKILL')
  }
  await rm(dir, { recursive: true, force: true })
})

/** Starts a separate process that opens the datastore and holds it; resolves once it is open. */
async function holdInAnotherProcess (): Promise<ChildProcess> {
  const script = `
    import { openDatastore } from ${JSON.stringify(compiled)}
    await openDatastore(${JSON.stringify(path)})
    process.stdout.write('open\\n')
    setInterval(() => {}, 60_000)`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', code => { reject(new Error(`holder exited early (${code})`)) })
    child.stdout?.setEncoding('utf8').on('data', (d: string) => { if (d.includes('open')) resolve() })
  })
  return child
}

/** Waits for a child to be gone (its LevelDB lock is released by the OS). */
async function killed (child: ChildProcess): Promise<void> {
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
}

describe('openDatastore', () => {
  it('stores and reads back values, and reopens after closing', async () => {
    const ds = await openDatastore(path)
    await ds.put(new Key('/peers/x'), Uint8Array.from([1, 2]))
    expect((await stat(path)).isDirectory()).toBe(true)
    expect(await readFile(join(path, 'p2pgo.pid'), 'utf8')).toBe(`${process.pid}\n`)
    await closeDatastore(ds)
    await closeDatastore(ds)
    await expect(stat(join(path, 'p2pgo.pid'))).rejects.toMatchObject({ code: 'ENOENT' })
    const again = await openDatastore(path)
    expect([...await again.get(new Key('/peers/x'))]).toEqual([1, 2])
    await closeDatastore(again)
  })

  it('tells a second process that the home is in use, with the holder\'s pid', async () => {
    const holder = await holdInAnotherProcess()
    const err = await openDatastore(path).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HomeInUseError)
    expect((err as HomeInUseError).pid).toBe(holder.pid)
    expect((err as Error).message).toBe(
      `this home is in use by another p2pgo process (pid ${holder.pid}): its datastore ${path} is locked. ` +
      'Stop that process first, or give this one its own home with --home DIR or $P2PGO_HOME'
    )
    expect((err as Error).message).not.toMatch(/LOCK|IO error/)
    // A holder that crashes leaves a stale pid file but no lock: the home is usable again.
    await killed(holder)
    const ds = await openDatastore(path)
    expect(await readFile(join(path, 'p2pgo.pid'), 'utf8')).toBe(`${process.pid}\n`)
    await closeDatastore(ds)
  })

  it('refuses a second open in the same process the same way', async () => {
    const first = await openDatastore(path)
    const err = await openDatastore(path).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HomeInUseError)
    expect((err as Error).message).toMatch(/^this home is in use by another p2pgo process \(pid \d+\)/)
    await closeDatastore(first)
  })
})

describe('p2pgoStore', () => {
  it('keeps p2pgo keys under /p2pgo, apart from libp2p\'s', async () => {
    const ds = await openDatastore(path)
    const store = p2pgoStore(ds)
    await store.put(new Key('/games/1'), Uint8Array.from([7]))
    await ds.put(new Key('/peers/abc'), Uint8Array.from([9]))
    expect([...await ds.get(new Key('/p2pgo/games/1'))]).toEqual([7])
    expect(await store.has(new Key('/peers/abc'))).toBe(false)
    const keys: string[] = []
    for await (const { key } of store.query({})) keys.push(key.toString())
    expect(keys).toEqual(['/games/1'])
    await closeDatastore(ds)
  })
})
