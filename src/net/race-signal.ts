// Waiting on work that takes no signal of its own (a library call), bounded by one: the wait
// ends when the signal aborts, the work carries on and its outcome is dropped.

/** Resolves or rejects with `promise`, or rejects with the signal's reason once it aborts. */
export async function raceSignal<T> (promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted()
  let onAbort: (() => void) | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => {
        onAbort = () => { reject(signal.reason) }
        signal.addEventListener('abort', onAbort, { once: true })
      })
    ])
  } finally {
    if (onAbort != null) signal.removeEventListener('abort', onAbort)
  }
}
