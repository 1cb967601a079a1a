// The words every settings validator uses (config.json, and the bootstrap relay's bootstrap.json
// and limits): how a bad value is named, where it sits, and which known setting a typo meant.
// Pure.

/** A JSON object (not null, not a list). */
export function isPlainObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A value as a problem sentence names it: JSON for scalars, the kind for the rest. */
export function describeValue (value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (value === null) return 'null'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return JSON.stringify(value) ?? String(value)
}

/** The path of `key` under `parent`, as a problem names it: `dht.clientMode`, `relay."odd key"`. */
export function fieldPath (parent: string, key: string): string {
  const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)
  return parent === '' ? name : `${parent}.${name}`
}

/** Edit distance counting a swap of neighbours as one edit (the commonest typo), case-blind. */
export function editDistance (a: string, b: string): number {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => i === 0 ? j : j === 0 ? i : 0))
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[x.length][y.length]
}

/**
 * The sentence for a key nobody knows: the closest known ones when the key is near them (a typo
 * must not look like a setting that took effect), else the list of known keys.
 */
export function unknownSetting (key: string, known: readonly string[]): string {
  const within = known.filter(k => editDistance(key, k) <= Math.max(1, Math.floor(k.length / 3)))
  // Only the closest: some names share long prefixes (maxReservations, maxReservationsPerIp).
  const best = Math.min(...within.map(k => editDistance(key, k)))
  const near = within.filter(k => editDistance(key, k) === best)
  return near.length > 0
    ? `unknown setting (did you mean ${near.map(k => `"${k}"`).join(' or ')}?)`
    : `unknown setting (known: ${known.join(', ')})`
}
