// Signals to a long-running command: the first asks it to stop, a later one to hurry, and none of
// them, however close together, finds the process without a listener (which would kill it).
import { afterEach, describe, expect, it } from 'vitest'
import { stopSignals, type StopSignals } from '../../src/cli/stop-signals.js'

let signals: StopSignals | undefined
afterEach(() => { signals?.dispose() })

/** Delivers a real signal to this process and lets its listeners run. */
async function send (name: NodeJS.Signals): Promise<void> {
  process.kill(process.pid, name)
  await new Promise(resolve => setTimeout(resolve, 50))
}

describe('stopSignals', () => {
  it('stops at the first signal and hurries at the second, with the listeners in place throughout', async () => {
    signals = stopSignals(['SIGUSR2'])
    await send('SIGUSR2')
    expect(signals.stop.aborted).toBe(true)
    expect(signals.hurry.aborted).toBe(false)
    expect(await signals.first).toBe('SIGUSR2')
    expect(process.listenerCount('SIGUSR2')).toBe(1)
    await send('SIGUSR2')
    expect(signals.hurry.aborted).toBe(true)
  })

  it('two signals sent back to back are both heard', async () => {
    signals = stopSignals(['SIGUSR2'])
    process.kill(process.pid, 'SIGUSR2')
    process.kill(process.pid, 'SIGUSR2')
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(signals.stop.aborted).toBe(true)
  })

  it('removes its listeners when disposed', () => {
    const before = process.listenerCount('SIGUSR2')
    signals = stopSignals(['SIGUSR2'])
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1)
    signals.dispose()
    expect(process.listenerCount('SIGUSR2')).toBe(before)
  })
})
