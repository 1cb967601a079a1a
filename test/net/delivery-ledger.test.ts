import { describe, expect, it } from 'vitest'
import { DeliveryLedger, LATENCY_SAMPLES } from '../../src/net/delivery-ledger.js'

describe('DeliveryLedger', () => {
  it('counts deliveries and failures per rung, with success rate and latency quantiles', () => {
    const ledger = new DeliveryLedger()
    for (let i = 1; i <= 100; i++) ledger.record('direct', true, i)
    ledger.record('relayed', true, 40)
    ledger.record('relayed', false)
    ledger.record('relayed', false)
    ledger.record('relayed', true, 60)
    expect(ledger.summary()).toEqual({
      direct: { delivered: 100, failed: 0, successRate: 1, medianMs: 51, p95Ms: 96 },
      relayed: { delivered: 2, failed: 2, successRate: 0.5, medianMs: 60, p95Ms: 60 }
    })
  })

  it('lists rungs best first and leaves out rungs never used', () => {
    const ledger = new DeliveryLedger()
    ledger.record('relayed', true, 9)
    ledger.record('upnp', true, 3)
    expect(Object.keys(ledger.summary())).toEqual(['upnp', 'relayed'])
  })

  it('keeps only the most recent samples for latency, but counts everything', () => {
    const ledger = new DeliveryLedger()
    for (let i = 0; i < LATENCY_SAMPLES; i++) ledger.record('hole-punched', true, 1000)
    for (let i = 0; i < LATENCY_SAMPLES; i++) ledger.record('hole-punched', true, 5)
    expect(ledger.summary()['hole-punched']).toMatchObject({ delivered: 2 * LATENCY_SAMPLES, medianMs: 5, p95Ms: 5 })
  })

  it('counts a delivery without a usable latency but samples nothing from it', () => {
    const ledger = new DeliveryLedger()
    ledger.record('direct', true)
    ledger.record('direct', true, Number.NaN)
    ledger.record('direct', true, -1)
    expect(ledger.summary().direct).toEqual({ delivered: 3, failed: 0, successRate: 1, medianMs: null, p95Ms: null })
  })
})
