// The inbox and the pending list as the application shows them: pure functions of what is stored.
import { decodeChallengeMessage } from '../challenge/messages.js'
import type { InboxView, PendingView } from './index.js'
import type { AcceptedOffer, InboxEntry, SentOffer } from './post-store.js'
import type { GameTerms } from '../../wire/game-start.js'

/** One inbox entry, its payload opened: a message's text, a challenge's terms. */
export function inboxView (e: InboxEntry): InboxView {
  const base = { id: e.id, from: e.from, kind: e.kind, at: e.at, received: e.received, expires: e.expires }
  if (e.kind === 'message') return { ...base, text: new TextDecoder().decode(e.payload) }
  const m = decodeChallengeMessage(e.payload)
  if (m.t !== 'propose') return base
  return {
    ...base,
    challenge: { name: m.name, terms: m.terms, color: m.color, ...(m.rating != null ? { rating: m.rating } : {}), ...(m.engine != null ? { engine: m.engine } : {}) }
  }
}

function termsOf (propose: Uint8Array): GameTerms | undefined {
  try {
    const m = decodeChallengeMessage(propose)
    return m.t === 'propose' ? m.terms : undefined
  } catch {
    return undefined
  }
}

/** Offers sent that have not lapsed, and accepts that wait for a confirm, soonest to lapse first. */
export function pendingViews (sent: readonly SentOffer[], accepted: readonly AcceptedOffer[], now: number): PendingView[] {
  const out: PendingView[] = []
  for (const s of sent) {
    const terms = termsOf(s.propose)
    if (terms != null && s.expires > now) out.push({ id: s.id, peer: s.to, state: 'sent', terms, expires: s.expires })
  }
  for (const a of accepted) {
    const terms = termsOf(a.propose)
    if (terms != null && a.expires > now) out.push({ id: a.id, peer: a.from, state: 'accepted', terms, expires: a.expires })
  }
  return out.sort((a, b) => a.expires - b.expires)
}
