// Graceful shutdown of the bootstrap relay (SIGTERM): stop taking new circuits, let the ones
// carrying games finish within a bound, then stop the node. The waiting is a plain loop over
// injected time, so tests run it on fake time; the daemon wires it to the signal.

/** How often the remaining circuits are counted while draining. */
export const DRAIN_POLL_MS = 250

export interface GracefulStopInit {
  /** Stops taking new work (unhandles the relay HOP protocol, marks health 'stopping'). */
  readonly stopAccepting: () => void | Promise<void>
  /** Circuits still open through this relay. */
  readonly activeCircuits: () => number | Promise<number>
  /** Stops the node; runs whether or not circuits are left. */
  readonly stop: () => void | Promise<void>
  /** The longest wait for circuits to finish, ms (0: stop at once). */
  readonly graceMs: number
  /** The clock, ms (tests). */
  readonly now?: () => number
  /** Waits `ms`, or less once `signal` aborts (tests). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /** Ends the wait early (a second SIGTERM or SIGINT: stop now); `stop()` still runs. */
  readonly signal?: AbortSignal
  /** How often to count circuits, ms; DRAIN_POLL_MS when unset. */
  readonly pollMs?: number
}

export interface GracefulStopResult {
  /** From the call to `stop()` being called, ms: intake stopped, then circuits drained. */
  readonly waitedMs: number
  /** Circuits still open when the wait ended (0 when they all finished; cut by `stop()` otherwise). */
  readonly circuitsLeft: number
}

async function realSleep (ms: number, signal?: AbortSignal): Promise<void> {
  await new Promise<void>(resolve => {
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/**
 * Stops accepting, waits until no circuit is left or `graceMs` has passed (or `signal` aborts),
 * then stops. Errors from `stopAccepting` or `activeCircuits` are thrown after `stop()` ran.
 */
export async function gracefulStop (init: GracefulStopInit): Promise<GracefulStopResult> {
  const now = init.now ?? Date.now
  const sleep = init.sleep ?? realSleep
  const pollMs = Math.max(1, init.pollMs ?? DRAIN_POLL_MS)
  const graceMs = Math.max(0, init.graceMs)
  // The bound counts from the request to stop: it is what the supervisor (systemd's
  // TimeoutStopSec) must allow for.
  const started = now()
  let circuitsLeft = 0
  let waitedMs = 0
  try {
    await init.stopAccepting()
    circuitsLeft = await init.activeCircuits()
    while (circuitsLeft > 0 && init.signal?.aborted !== true) {
      const elapsed = now() - started
      if (elapsed >= graceMs) break
      // Never sleep past the deadline: the bound is the operator's promise to the supervisor.
      await sleep(Math.min(pollMs, graceMs - elapsed), init.signal)
      circuitsLeft = await init.activeCircuits()
    }
  } finally {
    // The node stops even when stopping intake or counting circuits failed (that error is then
    // thrown): a shutdown that hangs or leaves the node running is worse.
    waitedMs = Math.max(0, now() - started)
    await init.stop()
  }
  return { waitedMs, circuitsLeft }
}
