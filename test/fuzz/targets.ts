// Every fuzz target, peer bytes first, then files and local processes.
import { peerTargets } from './targets-peer.js'
import { fileTargets } from './targets-files.js'
import { lobbyV2Targets } from './targets-lobby-v2.js'
import { watchTargets } from './targets-watch.js'
import { mailboxTargets } from './targets-mailbox.js'
import type { Corpus } from './corpus.js'
import type { FuzzTarget } from './harness.js'

export function allTargets (c: Corpus): FuzzTarget[] {
  return [...peerTargets(c), ...lobbyV2Targets(c), ...watchTargets(c), ...mailboxTargets(), ...fileTargets(c)]
}
