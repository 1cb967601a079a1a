import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commitTempFile, writeFileAtomic, writeTempFile } from '../../src/config/atomic-write.js'

/** The compiled module (test/global-setup.ts builds dist/), for a child process that must really die mid-write. */
const compiled = new URL('../../dist/src/config/atomic-write.js', import.meta.url).href

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2pgo-atomic-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('writeFileAtomic', () => {
  it('creates and replaces a file with the requested mode, leaving no temporary file', async () => {
    const path = join(dir, 'f')
    await writeFileAtomic(path, 'one', { mode: 0o600 })
    await writeFileAtomic(path, new TextEncoder().encode('two'))
    expect(await readFile(path, 'utf8')).toBe('two')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readdir(dir)).toEqual(['f'])
  })

  it('in exclusive mode never replaces an existing file', async () => {
    const path = join(dir, 'key')
    await writeFileAtomic(path, 'first', { exclusive: true })
    await expect(writeFileAtomic(path, 'second', { exclusive: true })).rejects.toMatchObject({ code: 'EEXIST' })
    expect(await readFile(path, 'utf8')).toBe('first')
    expect(await readdir(dir)).toEqual(['key'])
  })

  it('leaves the old file whole when stopped between writing the temporary file and renaming it', async () => {
    const path = join(dir, 'config.json')
    await writeFile(path, '{"old":true}')
    const temp = await writeTempFile(path, '{"new":true}')
    expect(await readFile(path, 'utf8')).toBe('{"old":true}')
    expect(await readFile(temp, 'utf8')).toBe('{"new":true}')
    await commitTempFile(temp, path)
    expect(await readFile(path, 'utf8')).toBe('{"new":true}')
    expect(await readdir(dir)).toEqual(['config.json'])
  })

  it('leaves the old file whole when the writing process is killed before the rename', async () => {
    const path = join(dir, 'config.json')
    await writeFile(path, '{"old":true}')
    // The child writes a large temporary file, then dies by SIGKILL: no exit handlers, no cleanup.
    const script = `
      import { writeTempFile } from ${JSON.stringify(compiled)}
      await writeTempFile(${JSON.stringify(path)}, 'x'.repeat(1 << 20))
      process.kill(process.pid, 'SIGKILL')`
    const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' })
      child.on('error', reject)
      child.on('exit', (_code, sig) => { resolve(sig) })
    })
    expect(signal).toBe('SIGKILL')
    expect(await readFile(path, 'utf8')).toBe('{"old":true}')
    const files = await readdir(dir)
    expect(files).toHaveLength(2)
    expect(files.find(f => f !== 'config.json')).toMatch(/^\.config\.json\.\d+\.[0-9a-f]+\.tmp$/)
  })
})
