// Small network probes run inside lab namespaces with `ip netns exec`; every result is one JSON line.
//   udp-echo HOST:PORT [--hello HOST:PORT]  log each datagram, answer it with "echo:<data>" (never
//                                            answering an echo, so two echo servers cannot loop);
//                                            --hello sends one datagram first, from the same socket
//   tcp-echo HOST:PORT                      log each connection's first data, answer "echo:<data>"
//   udp-send HOST:PORT MSG [--bind PORT] [--timeout MS]  send, wait for one answer
//   tcp-send HOST:PORT MSG [--timeout MS]   connect, send, wait for the answer
//   stun [--bind PORT] HOST:PORT...         one socket asks each STUN server for its mapped address
import { createSocket } from 'node:dgram'
import { createServer, connect } from 'node:net'
import { randomBytes } from 'node:crypto'

const [command, ...rest] = process.argv.slice(2)
const options = {}
const args = []
for (let i = 0; i < rest.length; i++) {
  if (rest[i].startsWith('--')) options[rest[i].slice(2)] = rest[++i]
  else args.push(rest[i])
}
const timeout = Number(options.timeout ?? 3000)
const print = (value) => console.log(JSON.stringify(value))
const split = (spec) => {
  const i = spec.lastIndexOf(':')
  return [spec.slice(0, i), Number(spec.slice(i + 1))]
}
const isEcho = (data) => data.toString().startsWith('echo:')

switch (command) {
  case 'udp-echo': {
    const [host, port] = split(args[0])
    const socket = createSocket('udp4')
    socket.on('message', (data, from) => {
      print({ event: 'datagram', from: `${from.address}:${from.port}`, data: data.toString() })
      if (!isEcho(data)) socket.send(`echo:${data}`, from.port, from.address)
    })
    socket.bind(port, host, () => {
      print({ event: 'listening', address: `${host}:${socket.address().port}` })
      if (options.hello != null) {
        const [toHost, toPort] = split(options.hello)
        socket.send('hello', toPort, toHost)
      }
    })
    break
  }
  case 'tcp-echo': {
    const [host, port] = split(args[0])
    const server = createServer((conn) => {
      conn.once('data', (data) => {
        print({ event: 'connection', from: `${conn.remoteAddress}:${conn.remotePort}`, data: data.toString() })
        conn.end(`echo:${data}`)
      })
      conn.on('error', () => {})
    })
    server.listen(port, host, () => print({ event: 'listening', address: `${host}:${port}` }))
    break
  }
  case 'udp-send': {
    const [host, port] = split(args[0])
    const socket = createSocket('udp4')
    const timer = setTimeout(() => { print({ reply: null }); socket.close() }, timeout)
    socket.on('message', (data, from) => {
      clearTimeout(timer)
      print({ reply: data.toString(), from: `${from.address}:${from.port}`, local: socket.address().port })
      socket.close()
    })
    socket.bind(Number(options.bind ?? 0), () => socket.send(args[1], port, host))
    break
  }
  case 'tcp-send': {
    const [host, port] = split(args[0])
    const conn = connect({ host, port })
    const chunks = []
    const timer = setTimeout(() => { print({ reply: null, error: 'timeout' }); conn.destroy() }, timeout)
    conn.on('connect', () => conn.write(args[1]))
    conn.on('data', (data) => chunks.push(data))
    conn.on('end', () => {
      clearTimeout(timer)
      print({ reply: Buffer.concat(chunks).toString(), local: `${conn.localAddress}:${conn.localPort}` })
    })
    conn.on('error', (err) => { clearTimeout(timer); print({ reply: null, error: err.code ?? err.message }) })
    break
  }
  case 'stun': {
    const socket = createSocket('udp4')
    const pending = new Map() // transaction ID (hex) -> server
    const results = {}
    const finish = () => {
      clearInterval(retry)
      clearTimeout(timer)
      print({ local: socket.address().port, mapped: results })
      socket.close()
    }
    const request = (server) => {
      const id = randomBytes(12)
      pending.set(id.toString('hex'), server)
      const msg = Buffer.alloc(20)
      msg.writeUInt16BE(0x0001, 0)
      msg.writeUInt32BE(0x2112a442, 4)
      id.copy(msg, 8)
      const [host, port] = split(server)
      socket.send(msg, port, host)
    }
    socket.on('message', (msg) => {
      const server = pending.get(msg.subarray(8, 20).toString('hex'))
      if (server == null || msg.readUInt16BE(0) !== 0x0101) return
      for (let at = 20; at + 4 <= msg.length; at += 4 + ((msg.readUInt16BE(at + 2) + 3) & ~3)) {
        if (msg.readUInt16BE(at) !== 0x0020) continue
        const port = msg.readUInt16BE(at + 6) ^ 0x2112
        const ip = (msg.readUInt32BE(at + 8) ^ 0x2112a442) >>> 0
        results[server] = `${[24, 16, 8, 0].map((s) => (ip >>> s) & 255).join('.')}:${port}`
      }
      if (args.every((s) => s in results)) finish()
    })
    // Retransmit to servers that have not answered (the first datagram may race an ARP lookup).
    const retry = setInterval(() => args.filter((s) => !(s in results)).forEach(request), 500)
    const timer = setTimeout(finish, timeout)
    socket.bind(Number(options.bind ?? 0), () => args.forEach(request))
    break
  }
  default:
    console.error(`unknown command ${command}`)
    process.exit(2)
}
