/**
 * One pair of the NAT lab's matrix, as test/lab/ladder.test.ts measures it and writes it to
 * P2PGO_LAB_REPORT_DIR/ladder.json for `npm run bench` (bench/lab.ts).
 */
export interface LabOutcome {
  seeker: string
  challenger: string
  /** The rung both sides report at the end of play (`a/b` when they differ). */
  rung: string
  finished: boolean
  /** The seeker's own rung coming up: start to a confirmed address (UPnP, public) or a relay reservation. */
  readyMs: number
  /** The challenger's challenge to its game starting (the first path, often the relay). */
  connectMs: number
  /** The game starting to the game being on its final path (0 when it started there). */
  settleMs: number
  /** Move round trips (act to acknowledgement) by the rung they travelled on, both sides. */
  rtts: Record<string, number[]>
  /** Tries for a better path than the relay that failed, with how long each took. */
  failedUpgradesMs: number[]
  /** Plies played, and packets between the two players' public addresses and the relay host while they were played. */
  plies: number
  relayPackets: number
  /** Packets between the two players' public addresses on the internet's router while they played. */
  directPackets: number
}
