// IP address text as bytes and groups: the one parser behind the STUN codec (src/wire/stun.ts)
// and the bootstrap relay's per-IP quota (bootstrap/relay-quota.ts). Pure, no node:net.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

/** Whether the text is a dotted-quad IPv4 address. */
export function isIPv4 (address: string): boolean {
  return IPV4.test(address)
}

/** The four bytes of a dotted-quad IPv4 address (check it with `isIPv4` first). */
export function ipv4Bytes (address: string): Uint8Array {
  return Uint8Array.from(address.split('.').map(Number))
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail included), or undefined when it is not one. */
export function ipv6Groups (text: string): number[] | undefined {
  let head = text
  const tail: number[] = []
  // A dotted IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
  const v4 = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(head)
  if (v4 != null) {
    const b = v4.slice(2).map(Number)
    if (b.some(x => x > 255)) return undefined
    tail.push((b[0] << 8) | b[1], (b[2] << 8) | b[3])
    head = v4[1].endsWith('::') ? v4[1] : v4[1].slice(0, -1)
  }
  const parse = (part: string): number[] => part === '' ? [] : part.split(':').map(g => /^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)
  const halves = head.split('::')
  if (halves.length > 2) return undefined
  const left = parse(halves[0])
  const right = halves.length === 2 ? parse(halves[1]) : []
  const missing = 8 - tail.length - left.length - right.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const groups = [...left, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...right, ...tail]
  return groups.some(g => Number.isNaN(g)) ? undefined : groups
}

/** The sixteen bytes of an IPv6 address, or undefined when it is not one. */
export function ipv6Bytes (address: string): Uint8Array | undefined {
  const groups = ipv6Groups(address)
  if (groups == null) return undefined
  const out = new Uint8Array(16)
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8
    out[i * 2 + 1] = g & 0xff
  })
  return out
}

/** Sixteen bytes as IPv6 text, every group written out (`2001:db8:0:0:0:0:0:1`). */
export function ipv6Text (ip: Uint8Array): string {
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((ip[i] << 8) | ip[i + 1]).toString(16))
  return groups.join(':')
}
