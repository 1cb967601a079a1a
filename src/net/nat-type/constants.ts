/** How long the probe waits for a STUN server's answer in all (a few retries included): RFC 8489's first retransmits fit in it. */
export const STUN_PROBE_TIMEOUT_MS = 3_000
/** When a Binding request is sent again if no answer came: 0 ms, then RFC 8489's doubling from 500 ms. */
export const STUN_RETRY_AT_MS: readonly number[] = [0, 500, 1_500]
/** At most this many STUN servers are asked (a long config list must not turn the probe into a scan). */
export const STUN_PROBE_MAX_SERVERS = 4
/** How often a running node asks again (a laptop changes networks; a router reboots): 10 minutes, as often as ICE would notice anyway. */
export const NAT_REPROBE_MS = 10 * 60_000
