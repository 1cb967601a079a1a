// The topic names of lobby version 2: one spelling per (size, bucket), and nothing else parses.
import { describe, expect, it } from 'vitest'
import { LOBBY_V2_CENSUS_TOPIC, lobbyV2Topic, parseLobbyV2Topic } from '../../../../src/net/lobby/v2/topics.js'
import { LOBBY_TOPIC } from '../../../../src/net/lobby/constants.js'
import type { LobbySize } from '../../../../src/net/lobby/messages.js'

describe('lobby v2 topics', () => {
  it.each([[9, 0, '/p2pgo/lobby/2/9/0'], [13, -3, '/p2pgo/lobby/2/13/-3'], [19, 1000, '/p2pgo/lobby/2/19/1000'], [19, -1000, '/p2pgo/lobby/2/19/-1000'], [9, -0, '/p2pgo/lobby/2/9/0']] as const)('size %d bucket %d is %s, and parses back', (size, bucket, topic) => {
    expect(lobbyV2Topic(size, bucket)).toBe(topic)
    expect(parseLobbyV2Topic(topic)).toEqual({ size, bucket: bucket === 0 ? 0 : bucket })
  })

  it('every size and bucket round-trips', () => {
    for (const size of [9, 13, 19] as const) {
      for (let bucket = -1000; bucket <= 1000; bucket++) expect(parseLobbyV2Topic(lobbyV2Topic(size, bucket))).toEqual({ size, bucket })
    }
  })

  it('the census topic', () => {
    expect(LOBBY_V2_CENSUS_TOPIC).toBe('/p2pgo/lobby/2/census')
  })

  it.each([
    LOBBY_V2_CENSUS_TOPIC, LOBBY_TOPIC, '/p2pgo/lobby/2/9/+3', '/p2pgo/lobby/2/9/03', '/p2pgo/lobby/2/9/-0', '/p2pgo/lobby/2/9/1001', '/p2pgo/lobby/2/9/-1001',
    '/p2pgo/lobby/2/7/0', '/p2pgo/lobby/2/9/', '/p2pgo/lobby/2/9/1.5', '/p2pgo/lobby/2/9/0/', '/p2pgo/lobby/2/9/0\n', ' /p2pgo/lobby/2/9/0', '/p2pgo/lobby/3/9/0', '/p2pgo/lobby/2/09/0', '/p2pgo/lobby/2/9/1e2'
  ])('refuses %j', (topic) => {
    expect(parseLobbyV2Topic(topic)).toBeUndefined()
  })

  it.each([[7, 0], [9, 1001], [9, 1.5], [9, Number.NaN]])('names no topic for size %d bucket %d', (size, bucket) => {
    expect(() => lobbyV2Topic(size as LobbySize, bucket)).toThrow(RangeError)
  })
})
