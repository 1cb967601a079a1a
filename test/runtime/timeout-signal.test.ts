// A timeout that only AbortSignal.any holds still fires after the garbage collector runs. Node 20
// collected such a signal and the composite never aborted (nodejs/node#57736); src/polyfill.ts,
// loaded before every test file as before every command, keeps it alive.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

describe('AbortSignal.timeout inside AbortSignal.any', () => {
  it('aborts the composite when the timeout is due, though nothing else refers to the timeout and the collector ran', async () => {
    const stop = new AbortController()
    const composite = AbortSignal.any([AbortSignal.timeout(100), stop.signal])
    const aborted = new Promise<unknown>(resolve => { composite.addEventListener('abort', () => { resolve(composite.reason) }, { once: true }) })
    for (let i = 0; i < 5; i++) {
      gc()
      await new Promise(resolve => setTimeout(resolve, 10))
    }
    // Without the mend, Node 20 never settles this; a bound keeps the failure a failure.
    const bound = new Promise(resolve => setTimeout(() => { resolve('never aborted') }, 30_000))
    const reason = await Promise.race([aborted, bound])
    expect(reason).toBeInstanceOf(DOMException)
    expect((reason as DOMException).name).toBe('TimeoutError')
    expect(stop.signal.aborted).toBe(false)
  }, 60_000)
})
