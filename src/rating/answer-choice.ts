// Which DHT answer to believe, weighted by reputation (protocols/reputation.md, "The
// reputation-weighted DHT"). Pure: the lookup in src/net/rating/ feeds it the answers as they come.

/** An answer from a trusted peer ends the lookup at once (trust is 0.5 for a stranger; 0.6 takes about 0.4 of net good reputation). */
export const TRUSTED = 0.6

/** Answers from peers below this trust count only when nobody else gave a valid one. */
export const DISTRUSTED = 0.4

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
 * The answer to believe: the newest among those from peers not distrusted; only when there is
 * none, the newest from the distrusted. Ties go to the more trusted peer. Returns its index.
 */
export function chooseAnswer (answers: readonly Answer[]): number | undefined {
  let best: number | undefined
  const rank = (a: Answer): [number, number, number] => [a.trust >= DISTRUSTED ? 1 : 0, a.seq, a.trust]
  answers.forEach((a, i) => {
    if (best == null) {
      best = i
      return
    }
    const x = rank(a)
    const y = rank(answers[best])
    if (x[0] > y[0] || (x[0] === y[0] && (x[1] > y[1] || (x[1] === y[1] && x[2] > y[2])))) best = i
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
