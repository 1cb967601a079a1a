import { readFileSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = new URL('../../../', import.meta.url)

/** The installed version of a package, read from node_modules, for the adapters' failure messages. */
export function installedVersion (name: string): string {
  const pkg = JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, root), 'utf8')) as { version: string }
  return pkg.version
}

/** Where `name` resolves from inside package `from` (node_modules/<from>; p2pgo itself when unset), with links followed. */
export function resolvedFrom (name: string, from?: string): string {
  const require = createRequire(fileURLToPath(new URL(from == null ? 'package.json' : `node_modules/${from}/package.json`, root)))
  return realpathSync(dirname(require.resolve(name)))
}
