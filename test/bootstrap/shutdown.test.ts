import { describe, expect, it } from 'vitest'
import { DRAIN_POLL_MS, gracefulStop } from '../../bootstrap/shutdown.js'

/** Fake time: sleeping advances the clock; `circuits` is read after each advance. */
function fakeTime (circuitsAt: (t: number) => number): { now: () => number, sleep: (ms: number) => Promise<void>, activeCircuits: () => number, sleeps: number[], log: string[] } {
  let t = 1_000
  const sleeps: number[] = []
  const log: string[] = []
  return {
    now: () => t,
    sleep: async ms => { sleeps.push(ms); t += ms },
    activeCircuits: () => { const n = circuitsAt(t - 1_000); log.push(`count ${n}`); return n },
    sleeps,
    log
  }
}

describe('graceful stop', () => {
  it('stops accepting, waits for the circuits to finish, then stops', async () => {
    const time = fakeTime(elapsed => elapsed < 600 ? 3 : elapsed < 1_000 ? 1 : 0)
    const result = await gracefulStop({
      stopAccepting: () => { time.log.push('stop accepting') },
      activeCircuits: time.activeCircuits,
      stop: () => { time.log.push('stop') },
      graceMs: 30_000,
      now: time.now,
      sleep: time.sleep
    })
    expect(result).toEqual({ waitedMs: 1_000, circuitsLeft: 0 })
    expect(time.sleeps.every(ms => ms === DRAIN_POLL_MS)).toBe(true)
    expect(time.log[0]).toBe('stop accepting')
    expect(time.log.at(-1)).toBe('stop')
    expect(time.log.filter(l => l === 'stop')).toHaveLength(1)
  })

  it('stops after the grace period with circuits still open, never sleeping past it', async () => {
    const time = fakeTime(() => 2)
    const result = await gracefulStop({ stopAccepting: () => {}, activeCircuits: time.activeCircuits, stop: () => {}, graceMs: 600, now: time.now, sleep: time.sleep })
    expect(result).toEqual({ waitedMs: 600, circuitsLeft: 2 })
    expect(time.sleeps).toEqual([250, 250, 100])
  })

  it('stops at once when no circuit is open or the grace period is 0', async () => {
    for (const [circuits, graceMs] of [[0, 10_000], [5, 0]]) {
      const time = fakeTime(() => circuits)
      let stopped = 0
      const result = await gracefulStop({ stopAccepting: () => {}, activeCircuits: time.activeCircuits, stop: () => { stopped++ }, graceMs, now: time.now, sleep: time.sleep })
      expect(result).toEqual({ waitedMs: 0, circuitsLeft: circuits })
      expect(time.sleeps).toEqual([])
      expect(stopped).toBe(1)
    }
  })

  it('ends the wait when its signal aborts (a second SIGTERM)', async () => {
    const time = fakeTime(() => 4)
    const controller = new AbortController()
    let stopped = false
    const result = await gracefulStop({
      stopAccepting: () => {},
      activeCircuits: time.activeCircuits,
      stop: () => { stopped = true },
      graceMs: 60_000,
      now: time.now,
      sleep: async ms => { await time.sleep(ms); if (time.sleeps.length === 2) controller.abort() },
      signal: controller.signal
    })
    expect(result).toEqual({ waitedMs: 500, circuitsLeft: 4 })
    expect(stopped).toBe(true)
  })

  it('still stops the node when counting circuits fails, and reports the failure', async () => {
    let stopped = false
    await expect(gracefulStop({
      stopAccepting: async () => {},
      activeCircuits: async () => { throw new Error('no relay service') },
      stop: async () => { stopped = true },
      graceMs: 1_000,
      sleep: async () => {}
    })).rejects.toThrow('no relay service')
    expect(stopped).toBe(true)
  })

  it('waits with real time when none is injected', async () => {
    let open = 1
    setTimeout(() => { open = 0 }, 5)
    const result = await gracefulStop({ stopAccepting: () => {}, activeCircuits: () => open, stop: () => {}, graceMs: 60_000, pollMs: 1 })
    expect(result.circuitsLeft).toBe(0)
  })
})
