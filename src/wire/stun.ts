/**
 * The part of STUN (RFC 8489) a bootstrap relay needs: answering Binding requests with the
 * address the request came from (XOR-MAPPED-ADDRESS), so peers learn their public UDP address
 * for WebRTC hole punching. Pure codec; the UDP socket is in src/net/stun/stun-server.ts.
 */
import { ipv4Bytes, ipv6Bytes, ipv6Text, isIPv4 } from './ip.js'

/** Every STUN message carries this in bytes 4..7 (RFC 8489 §5). */
export const MAGIC_COOKIE = 0x2112a442
const HEADER_BYTES = 20
const BINDING_REQUEST = 0x0001
const BINDING_SUCCESS = 0x0101
const XOR_MAPPED_ADDRESS = 0x0020
const MAPPED_ADDRESS = 0x0001
const SOFTWARE = 0x8022
/** A Binding request worth answering is small; anything longer than a UDP datagram on a common path MTU is not one. */
export const STUN_MAX_BYTES = 548

/** A parsed Binding request: just its transaction ID (attributes are not needed to answer it). */
export interface BindingRequest {
  readonly transactionId: Uint8Array
}

/**
 * Reads a Binding request; undefined for anything else (other STUN methods, responses, junk),
 * which a server silently drops: answering junk would make it a reflector.
 */
export function parseBindingRequest (data: Uint8Array): BindingRequest | undefined {
  if (data.length < HEADER_BYTES || data.length > STUN_MAX_BYTES) return undefined
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const type = view.getUint16(0)
  const length = view.getUint16(2)
  // The two top bits of a STUN message are zero, the length counts the attributes and is a multiple of 4.
  if (type !== BINDING_REQUEST || length % 4 !== 0 || HEADER_BYTES + length !== data.length) return undefined
  if (view.getUint32(4) !== MAGIC_COOKIE) return undefined
  return { transactionId: data.slice(8, 20) }
}

/** Builds a Binding request with a given transaction ID (12 bytes): for clients and tests. */
export function bindingRequest (transactionId: Uint8Array): Uint8Array {
  if (transactionId.length !== 12) throw new RangeError('a STUN transaction ID is 12 bytes')
  const out = new Uint8Array(HEADER_BYTES)
  const view = new DataView(out.buffer)
  view.setUint16(0, BINDING_REQUEST)
  view.setUint16(2, 0)
  view.setUint32(4, MAGIC_COOKIE)
  out.set(transactionId, 8)
  return out
}

/** The success response telling the requester the address and port it was seen at. */
export function bindingResponse (request: BindingRequest, address: string, port: number, software = 'p2pgo'): Uint8Array {
  const ip = isIPv4(address) ? ipv4Bytes(address) : ipv6Bytes(address)
  if (ip == null) throw new RangeError(`not an IP address: ${address}`)
  const family = ip.length === 4 ? 1 : 2
  const softwareBytes = new TextEncoder().encode(software)
  const softwarePadded = Math.ceil(softwareBytes.length / 4) * 4
  const addrAttr = 4 + ip.length
  const length = (4 + addrAttr) * 2 + 4 + softwarePadded
  const out = new Uint8Array(HEADER_BYTES + length)
  const view = new DataView(out.buffer)
  view.setUint16(0, BINDING_SUCCESS)
  view.setUint16(2, length)
  view.setUint32(4, MAGIC_COOKIE)
  out.set(request.transactionId, 8)
  let at = HEADER_BYTES
  // XOR-MAPPED-ADDRESS: port and address XORed with the cookie (and the transaction ID for IPv6).
  const mask = new Uint8Array(16)
  new DataView(mask.buffer).setUint32(0, MAGIC_COOKIE)
  mask.set(request.transactionId, 4)
  view.setUint16(at, XOR_MAPPED_ADDRESS)
  view.setUint16(at + 2, addrAttr)
  view.setUint8(at + 5, family)
  view.setUint16(at + 6, port ^ (MAGIC_COOKIE >>> 16))
  for (let i = 0; i < ip.length; i++) out[at + 8 + i] = ip[i] ^ mask[i]
  at += 4 + addrAttr
  // MAPPED-ADDRESS as well, for RFC 3489-era clients.
  view.setUint16(at, MAPPED_ADDRESS)
  view.setUint16(at + 2, addrAttr)
  view.setUint8(at + 5, family)
  view.setUint16(at + 6, port)
  out.set(ip, at + 8)
  at += 4 + addrAttr
  view.setUint16(at, SOFTWARE)
  view.setUint16(at + 2, softwareBytes.length)
  out.set(softwareBytes, at + 4)
  return out
}

/** Reads the XOR-MAPPED-ADDRESS of a Binding success response for `transactionId`; undefined when it is not one. */
export function parseBindingResponse (data: Uint8Array, transactionId: Uint8Array): { address: string, port: number } | undefined {
  if (data.length < HEADER_BYTES || data.length > STUN_MAX_BYTES) return undefined
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  if (view.getUint16(0) !== BINDING_SUCCESS || view.getUint32(4) !== MAGIC_COOKIE) return undefined
  for (let i = 0; i < 12; i++) if (data[8 + i] !== transactionId[i]) return undefined
  const end = Math.min(data.length, HEADER_BYTES + view.getUint16(2))
  const mask = new Uint8Array(16)
  new DataView(mask.buffer).setUint32(0, MAGIC_COOKIE)
  mask.set(transactionId, 4)
  for (let at = HEADER_BYTES; at + 4 <= end;) {
    const type = view.getUint16(at)
    const len = view.getUint16(at + 2)
    if (at + 4 + len > end) return undefined
    if (type === XOR_MAPPED_ADDRESS && len >= 8) {
      const family = view.getUint8(at + 5)
      const port = view.getUint16(at + 6) ^ (MAGIC_COOKIE >>> 16)
      const size = family === 1 ? 4 : family === 2 ? 16 : 0
      if (size === 0 || len < 4 + size) return undefined
      const ip = new Uint8Array(size)
      for (let i = 0; i < size; i++) ip[i] = data[at + 8 + i] ^ mask[i]
      return { address: size === 4 ? ip.join('.') : ipv6Text(ip), port }
    }
    at += 4 + Math.ceil(len / 4) * 4
  }
  return undefined
}
