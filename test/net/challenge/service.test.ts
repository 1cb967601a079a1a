import { NotStartedError } from '@libp2p/interface'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidSettingError } from '../../../src/game/errors.js'
import { CHALLENGE_PROTOCOL } from '../../../src/net/challenge/index.js'
import { challengeNode, connect, rejection, terms9, type ChallengeNode } from './nodes.js'
import type { GameTerms } from '../../../src/wire/game-start.js'

describe('ChallengeService lifecycle', () => {
  let a: ChallengeNode
  let b: ChallengeNode
  let asked: PromiseWithResolvers<void>
  let released: PromiseWithResolvers<void>

  beforeAll(async () => {
    a = await challengeNode()
    b = await challengeNode({
      decide: async (_offer, { signal }) => {
        asked.resolve()
        return new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => { released.resolve(); reject(signal.reason) }, { once: true })
        })
      }
    })
    await connect(a, b)
  })

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
  })

  it('start and stop are idempotent, and the handler comes and goes with them', async () => {
    const service = a.services.challenge
    expect(a.getProtocols()).toContain(CHALLENGE_PROTOCOL)
    await service.start()
    expect(service.isStarted()).toBe(true)
    await service.stop()
    await service.stop()
    expect(service.isStarted()).toBe(false)
    expect(a.getProtocols()).not.toContain(CHALLENGE_PROTOCOL)
    expect(await rejection(service.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann' }))).toBeInstanceOf(NotStartedError)
    await service.start()
    expect(a.getProtocols()).toContain(CHALLENGE_PROTOCOL)
  })

  it('stopping ends the negotiations in flight: the proposal fails, the other side\'s decision is told', async () => {
    asked = Promise.withResolvers<void>()
    released = Promise.withResolvers<void>()
    const proposing = rejection(a.services.challenge.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann' }))
    await asked.promise
    await a.services.challenge.stop()
    expect(await proposing).toBeInstanceOf(NotStartedError)
    await released.promise
    await a.services.challenge.start()
  })

  it.each<[string, Partial<GameTerms>, string]>([
    ['a board too large', { size: 50 }, 'terms.size'],
    ['a komi that is not a multiple of 0.5', { komi: 6.3 }, 'terms.komi'],
    ['unknown rules', { rules: 'chess' as GameTerms['rules'] }, 'terms.rules']
  ])('terms with %s are refused before anything is sent', async (_name, change, setting) => {
    const err = await rejection(a.services.challenge.propose(b.peerId, { terms: { ...terms9, ...change }, color: 'black', name: 'Ann' }))
    expect(err).toBeInstanceOf(InvalidSettingError)
    expect(err).toMatchObject({ setting })
  })

  it('a name with a terminal escape is refused before anything is sent', async () => {
    const err = await rejection(a.services.challenge.propose(b.peerId, { terms: terms9, color: 'black', name: 'Ann\u001b[2J' }))
    expect(err).toBeInstanceOf(InvalidSettingError)
  })
})

type PromiseWithResolvers<T> = ReturnType<typeof Promise.withResolvers<T>>
