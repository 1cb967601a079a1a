// The lobby's view changes as its events: each presence, seek and live game change becomes the
// event of its name (src/net/lobby/index.ts, LobbyEvents).
import type { LiveChange } from './live-view.js'
import type { LobbyEvents } from '../index.js'
import type { ViewChange } from '../view.js'
import type { TypedEventEmitter } from 'main-event'

/** Dispatches each change as its event on `target`; `onPresence` sees each presence first. */
export function emitChanges (target: TypedEventEmitter<LobbyEvents>, changes: ReadonlyArray<ViewChange | LiveChange>, onPresence: (c: Extract<ViewChange, { type: 'presence' }>) => void): void {
  for (const c of changes) {
    if (c.type === 'live') target.safeDispatchEvent('live', { detail: c.live })
    else if (c.type === 'live:removed') target.safeDispatchEvent('live:removed', { detail: { live: c.live, reason: c.reason } })
    else if (c.type === 'presence') {
      onPresence(c)
      target.safeDispatchEvent('presence', { detail: c.presence })
    } else if (c.type === 'seek') target.safeDispatchEvent('seek', { detail: c.seek })
    else if (c.type === 'presence:removed') target.safeDispatchEvent('presence:removed', { detail: { presence: c.presence, reason: c.reason } })
    else target.safeDispatchEvent('seek:removed', { detail: { seek: c.seek, reason: c.reason } })
  }
}
