// WebRTC in an installed copy of p2pgo: loads node-datachannel (the native library @libp2p/webrtc
// uses on Node) and @libp2p/webrtc from the package's own node_modules, then opens a data channel
// between two peer connections in this process over loopback and sends one message through it.
// Usage: node scripts/webrtc-smoke.mjs PACKAGE_DIR   (prints "webrtc ok" and exits 0)
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const dir = process.argv[2]
if (dir == null) throw new Error('usage: node webrtc-smoke.mjs PACKAGE_DIR')
const require = createRequire(join(dir, 'package.json'))
const load = async name => import(pathToFileURL(require.resolve(name)).href)

const ndc = await load('node-datachannel')
const webrtc = await load('@libp2p/webrtc')
if (typeof webrtc.webRTC !== 'function') throw new Error('@libp2p/webrtc has no webRTC transport')

const a = new ndc.PeerConnection('a', { iceServers: [] })
const b = new ndc.PeerConnection('b', { iceServers: [] })
a.onLocalDescription((sdp, type) => { b.setRemoteDescription(sdp, type) })
b.onLocalDescription((sdp, type) => { a.setRemoteDescription(sdp, type) })
a.onLocalCandidate((candidate, mid) => { b.addRemoteCandidate(candidate, mid) })
b.onLocalCandidate((candidate, mid) => { a.addRemoteCandidate(candidate, mid) })
const received = new Promise(resolve => {
  b.onDataChannel(dc => { dc.onMessage(message => { resolve(String(message)) }) })
})
const dc = a.createDataChannel('p2pgo-smoke')
dc.onOpen(() => { dc.sendMessage('hello over webrtc') })
// The caller's timeout bounds this; no deadline of its own.
const message = await received
a.close()
b.close()
ndc.cleanup()
if (message !== 'hello over webrtc') throw new Error(`unexpected message ${message}`)
console.log('webrtc ok')
