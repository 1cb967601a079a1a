import { readdir, readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'

// The wire layer is pure, so every layer above can use it and its tests need no network:
// nothing of libp2p, no sockets, no files, no processes; below it only the other pure layer, game.
const forbidden = [
  /^libp2p(\/|$)/,
  /^@libp2p\//,
  /^@chainsafe\//,
  /^(node:)?(fs|net|tls|http|https|http2|dgram|dns|child_process|cluster|worker_threads)(\/|$)/,
  /^\.\.\/(?!game\/)/
]

describe('src/wire', () => {
  it('imports nothing of libp2p, the network or the file system', async () => {
    const dir = new URL('../../src/wire/', import.meta.url)
    const files = (await readdir(dir, { recursive: true })).filter(f => f.endsWith('.ts'))
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) {
      const source = await readFile(new URL(file, dir), 'utf8')
      for (const [, specifier] of source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        expect(forbidden.some(pattern => pattern.test(specifier)), `${file} imports ${specifier}`).toBe(false)
      }
    }
  })
})
