// Behind a symmetric NAT a WebRTC hole punch cannot work (NOTES: every attempt failed in the lab):
// the path upgrader leaves those candidates out and tries only direct addresses.
import { describe, expect, it } from 'vitest'
import { upgradeDials } from '../../../src/net/game/path-upgrade.js'

const direct = '/ip4/198.51.100.7/tcp/4001'
const webrtc = '/ip4/203.0.113.10/tcp/4001/p2p/12D3KooWRelay/p2p-circuit/webrtc'
const base = { from: 'relayed' as const, haveWebRTC: false, unreliable: false }

describe('which dials a relayed game tries for a better path', () => {
  it('direct and WebRTC when the NAT type is unknown or allows punching', () => {
    expect(upgradeDials([direct, webrtc], { ...base, holePunch: undefined })).toEqual({ dials: [direct, webrtc], skippedPunch: false })
    expect(upgradeDials([direct, webrtc], { ...base, holePunch: true })).toEqual({ dials: [direct, webrtc], skippedPunch: false })
  })

  it('behind a symmetric NAT: direct only, and it says a punch was skipped', () => {
    expect(upgradeDials([direct, webrtc], { ...base, holePunch: false })).toEqual({ dials: [direct], skippedPunch: true })
  })

  it('no WebRTC from a punched hole, to a peer already on WebRTC or one whose WebRTC died young (as before)', () => {
    expect(upgradeDials([direct, webrtc], { ...base, from: 'hole-punched', holePunch: undefined }).dials).toEqual([direct])
    expect(upgradeDials([direct, webrtc], { ...base, haveWebRTC: true, holePunch: undefined }).dials).toEqual([direct])
    expect(upgradeDials([direct, webrtc], { ...base, unreliable: true, holePunch: undefined }).dials).toEqual([direct])
  })
})
