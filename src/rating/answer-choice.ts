// Which DHT answer to believe, weighted by reputation (protocols/reputation.md, "The
// reputation-weighted DHT"). Pure: the lookup in src/net/rating/ feeds it the answers as they come.

/** A stranger's trust (reputation starts every peer here): below it a peer is distrusted. */
export const STRANGER_TRUST = 0.5

/** An answer from a trusted peer ends the lookup at once (trust is 0.5 for a stranger; 0.6 takes about 0.4 of net good reputation). */
export const TRUSTED = 0.6

/** Trusted peers asked directly, alongside the first round of the Kademlia walk (kad-dht asks 10 at a time, its alpha): a few answers worth believing, not a second walk. */
export const ASK_FIRST = 3

/** A valid answer: who gave it, the record's sequence number (higher is newer), and the giver's trust. */
export interface Answer {
  readonly peer: string
  readonly seq: number
  readonly trust: number
}

/** Whether an answer settles the lookup without waiting for the rest: it comes from a trusted peer. */
export function settles (answer: Answer): boolean {
  return answer.trust >= TRUSTED
}

/**
 * The answer to believe: the newest (highest seq). Every answer here has been checked — signed by
 * the subject, not expired — so a newer one is the subject's own later word whoever relayed it;
 * a peer's trust cannot make an older record truer, it only breaks a tie on sequence (then the
 * earlier answer). Returns its index.
 */
export function chooseAnswer (answers: readonly Answer[]): number | undefined {
  let best: number | undefined
  answers.forEach((a, i) => {
    const b = best != null ? answers[best] : undefined
    if (b == null || a.seq > b.seq || (a.seq === b.seq && a.trust > b.trust)) best = i
  })
  return best
}

/** The peers to ask first: the `k` most trusted of those given, trusted ones only. */
export function askFirst (peers: readonly string[], trust: (peer: string) => number, k = ASK_FIRST): string[] {
  return peers
    .map(peer => ({ peer, trust: trust(peer) }))
    .filter(p => p.trust >= TRUSTED)
    .sort((a, b) => b.trust - a.trust || (a.peer < b.peer ? -1 : 1))
    .slice(0, k)
    .map(p => p.peer)
}
