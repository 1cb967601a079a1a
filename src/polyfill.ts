// What Node 20 lacks or gets wrong, mended before anything else loads: imported first by every
// entry point (see README, Node version).
//
// libp2p 3 and its helpers call Promise.withResolvers (ES2024), which Node 20 lacks; Node 22+
// has it and this does nothing there.
declare global {
  interface PromiseConstructor {
    withResolvers: <T>() => { promise: Promise<T>, resolve: (value: T | PromiseLike<T>) => void, reject: (reason?: unknown) => void }
  }
}

if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers<T> () {
    let resolve!: (value: T | PromiseLike<T>) => void
    let reject!: (reason?: unknown) => void
    const promise = new Promise<T>((res, rej) => {
      resolve = res
      reject = rej
    })
    return { promise, resolve, reject }
  }
}

// Node 20 lets the garbage collector take a timeout signal that only AbortSignal.any refers to,
// and the composite then never aborts (nodejs/node#57736): `AbortSignal.any([AbortSignal.timeout(15_000),
// stop])` hung a DHT walk for minutes on a busy machine. An abort listener keeps a timeout
// signal alive until it fires, as the DOM standard asks; Node 22 and 24 already do, and there
// the listener costs one entry per timeout.
const timeout = AbortSignal.timeout.bind(AbortSignal)
const keepAlive = (): void => {}
AbortSignal.timeout = function timeoutKeptAlive (ms: number): AbortSignal {
  const signal = timeout(ms)
  signal.addEventListener('abort', keepAlive, { once: true })
  return signal
}

export {}
