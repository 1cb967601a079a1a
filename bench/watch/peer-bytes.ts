// Bytes a node sends, per remote address: libp2p's metrics count a connection's bytes only as a
// node total ("global"), so this wraps the same hook (trackMultiaddrConnection, every byte after
// encryption and muxing) to tell the opponent, the seeds, the other watchers and the bootstrap
// node apart. It also counts the streams opened per protocol and direction ("/p2pgo/watch/1.0.0
// inbound": watchers' requests).
import type { Metrics, MultiaddrConnection, Stream } from '@libp2p/interface'

export class PeerBytes {
  /** Remote address (as libp2p's connection names it) → bytes sent there. */
  readonly out = new Map<string, number>()
  /** "<protocol> inbound|outbound" → streams opened. */
  readonly streams = new Map<string, number>()

  /** Wraps a metrics factory (P2pgoNodeInit.metrics) so it also counts here. */
  wrap (inner: (components: any) => Metrics): (components: any) => Metrics {
    return (components) => {
      const metrics = inner(components)
      const track = metrics.trackMultiaddrConnection.bind(metrics)
      metrics.trackMultiaddrConnection = (maConn: MultiaddrConnection) => {
        track(maConn)
        const key = maConn.remoteAddr.toString()
        const send = maConn.send.bind(maConn)
        maConn.send = (buf) => {
          this.out.set(key, (this.out.get(key) ?? 0) + buf.byteLength)
          return send(buf)
        }
      }
      const trackStream = metrics.trackProtocolStream.bind(metrics)
      metrics.trackProtocolStream = (stream: Stream) => {
        trackStream(stream)
        const key = `${stream.protocol} ${stream.direction}`
        this.streams.set(key, (this.streams.get(key) ?? 0) + 1)
      }
      return metrics
    }
  }

  snapshot (): Map<string, number> {
    return new Map(this.out)
  }

  streamsSnapshot (): Map<string, number> {
    return new Map(this.streams)
  }
}
