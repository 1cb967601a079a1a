// libp2p 3 and its helpers call Promise.withResolvers (ES2024), which Node 20 lacks; Node 22+
// has it and this does nothing there. Imported first by every entry point (see README, Node version).
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

export {}
