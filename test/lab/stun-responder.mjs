// A minimal STUN binding responder for the NAT lab (RFC 5389 section 7.3), to be replaced by
// p2pgo's own STUN server. Usage: node stun-responder.mjs HOST:PORT [HOST:PORT ...]
// One socket per address, so each reply leaves from the address the request reached (a socket on
// 0.0.0.0 would answer from whichever address the route picks, and the NAT would drop it).
// CHANGE-REQUEST is ignored on purpose: miniupnpd sends it and only enables port forwarding when
// all four of its probes are answered from the address it asked (an error 420 would disable it).
import { createSocket } from 'node:dgram'

const magicCookie = 0x2112a442

for (const spec of process.argv.slice(2)) {
  const [host, port] = spec.split(':')
  const socket = createSocket('udp4')
  socket.on('message', (msg, from) => {
    // Binding request: type 0x0001, length a multiple of 4, two top bits zero.
    if (msg.length < 20 || msg.readUInt16BE(0) !== 0x0001 || msg.readUInt16BE(2) + 20 > msg.length) return
    const ip = Buffer.from(from.address.split('.').map(Number))
    const attr = (type, xor) => {
      const value = Buffer.alloc(12)
      value.writeUInt16BE(type, 0)
      value.writeUInt16BE(8, 2)
      value.writeUInt16BE(0x01, 4) // IPv4
      value.writeUInt16BE(xor ? from.port ^ (magicCookie >>> 16) : from.port, 6)
      value.writeUInt32BE(xor ? (ip.readUInt32BE(0) ^ magicCookie) >>> 0 : ip.readUInt32BE(0), 8)
      return value
    }
    // XOR-MAPPED-ADDRESS for RFC 5389 clients, MAPPED-ADDRESS for RFC 3489 ones (miniupnpd reads either).
    const body = Buffer.concat([attr(0x0020, true), attr(0x0001, false)])
    const header = Buffer.alloc(20)
    header.writeUInt16BE(0x0101, 0)
    header.writeUInt16BE(body.length, 2)
    msg.copy(header, 4, 4, 20) // magic cookie and transaction ID echoed as received
    socket.send(Buffer.concat([header, body]), from.port, from.address)
    console.log(JSON.stringify({ from: `${from.address}:${from.port}`, to: spec }))
  })
  socket.bind(Number(port), host, () => console.log(`listening ${spec}`))
}
