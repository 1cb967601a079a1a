import { isPrivateIp } from '@libp2p/utils'
import { Netmask } from 'netmask'
import { afterEach, describe, expect, it } from 'vitest'
import { restoreNetmask, treatAsPublic } from '../../../src/net/adapters/netmask-public-ranges.js'
import { installedVersion, resolvedFrom } from './installed.js'

// What the patch assumes of netmask and @libp2p/utils. When an upgrade breaks it, these fail
// with the versions installed, and P2PGO_PUBLIC_RANGES (the NAT lab) must be redone.
const versions = `netmask ${installedVersion('netmask')}, @libp2p/utils ${installedVersion('@libp2p/utils')} (the adapter was written for netmask 2.1.1, @libp2p/utils 7.4.1)`

afterEach(() => { restoreNetmask() })

describe('the netmask adapter (src/net/adapters/netmask-public-ranges.ts)', () => {
  it('patches the netmask that @libp2p/utils uses', () => {
    expect(typeof Netmask.prototype.contains, `${versions}: Netmask.prototype.contains is gone`).toBe('function')
    expect(resolvedFrom('netmask', '@libp2p/utils'), `${versions}: @libp2p/utils has its own copy of netmask, so patching p2pgo's copy changes nothing`).toBe(resolvedFrom('netmask'))
  })

  it('turns libp2p\'s "private" into "public" for the named ranges only, and back', () => {
    expect(isPrivateIp('203.0.113.5'), `${versions}: libp2p no longer counts documentation ranges as private`).toBe(true)
    treatAsPublic([new Netmask('203.0.113.0/24')])
    expect(isPrivateIp('203.0.113.5'), `${versions}: isPrivateIp no longer asks Netmask.prototype.contains with the address as a string`).toBe(false)
    expect(isPrivateIp('10.1.2.3')).toBe(true)
    restoreNetmask()
    expect(isPrivateIp('203.0.113.5')).toBe(true)
  })
})
