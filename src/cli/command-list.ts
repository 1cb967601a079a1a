// The list of p2pgo's commands: each one's words and its line in the help, and its module, loaded
// only when it runs. Loading every command loaded libp2p, blessed and the rest for any command:
// `p2pgo --version` took 3 s of CPU, `p2pgo id` (which needs none of it) as long.
import type { Command } from './command.js'

/** A command as the list knows it, before its module is loaded. */
export interface CommandEntry {
  /** The words that select it, e.g. ['sgf', 'check'] or ['id']. */
  readonly path: readonly string[]
  /** One line for the command list. */
  readonly summary: string
  /** The command itself, its module loaded on first use. */
  load: () => Promise<Command>
}

/** Every command, in the order the help lists them. Add a command by adding its line here. */
export const commands: readonly CommandEntry[] = [
  { path: ['play'], summary: 'the terminal client: lobby, board, clocks, scoring, reputation (npm start)', load: async () => (await import('./commands/play.js')).playCommand },
  { path: ['sgf', 'check'], summary: 'replay SGF files and report legality, captures, final board', load: async () => (await import('./commands/sgf-check.js')).sgfCheckCommand },
  { path: ['id'], summary: 'print this node\'s peer ID and dialable addresses (no network)', load: async () => (await import('./commands/id.js')).idCommand },
  { path: ['games'], summary: 'list the games stored in this home', load: async () => (await import('./commands/games.js')).gamesCommand },
  { path: ['export'], summary: 'write a stored game as SGF to standard output', load: async () => (await import('./commands/export.js')).exportCommand },
  { path: ['bootstrap'], summary: 'run a community bootstrap relay (DHT server, relay, AutoNAT, STUN, gossip, metrics)', load: async () => (await import('./commands/bootstrap.js')).bootstrapCommand },
  { path: ['bot'], summary: 'a headless player driven by a GTP engine (GNU Go, ...)', load: async () => (await import('./commands/bot.js')).botCommand },
  { path: ['gtp'], summary: 'p2pgo as a GTP engine: play network games from Sabaki, GoGui, Lizzie or a script', load: async () => (await import('./commands/gtp.js')).gtpCommand },
  { path: ['peers'], summary: 'the peers a running node is connected to, and on which rung', load: async () => (await import('./commands/peers.js')).peersCommand },
  { path: ['doctor'], summary: 'how this node stands on the network: reach, NAT type, UPnP, relays, DHT, advice', load: async () => (await import('./commands/doctor.js')).doctorCommand },
  { path: ['rating'], summary: 'a player\'s rating from the DHT, verified (and audited with --audit)', load: async () => (await import('./commands/rating.js')).ratingCommand },
  { path: ['reputation'], summary: 'peers\' discovery reputation: top peers, or one peer\'s breakdown, RNA paths, rating, games', load: async () => (await import('./commands/reputation.js')).reputationCommand },
  { path: ['rna'], summary: 'training data: finished games received over gossip (ls, show, export)', load: async () => (await import('./commands/rna.js')).rnaCommand },
  { path: ['match'], summary: 'find an opponent near your rating (lobby, then DHT) and propose a game as soon as one is found', load: async () => (await import('./commands/match.js')).matchCommand },
  { path: ['engine'], summary: 'a simple built-in Go engine speaking GTP on stdin/stdout', load: async () => (await import('./commands/engine.js')).engineCommand },
  { path: ['watch'], summary: 'follow a live game to its end (moves, spectator chat, result)', load: async () => (await import('./commands/watch.js')).watchCommand },
  { path: ['friends'], summary: 'your friends and whether they are open to games', load: async () => (await import('./commands/friends.js')).friendsCommand },
  { path: ['friends', 'add'], summary: 'follow a friend by peer ID or by a name seen in the lobby', load: async () => (await import('./commands/friends.js')).friendsAddCommand },
  { path: ['friends', 'remove'], summary: 'stop following a friend', load: async () => (await import('./commands/friends.js')).friendsRemoveCommand },
  { path: ['challenge'], summary: 'challenge a player to a correspondence game, online or not', load: async () => (await import('./commands/challenge.js')).challengeCommand },
  { path: ['message'], summary: 'send a short message to a player, online or not', load: async () => (await import('./commands/message.js')).messageCommand },
  { path: ['inbox'], summary: 'challenges and messages waiting for you', load: async () => (await import('./commands/inbox.js')).inboxCommand },
  { path: ['inbox', 'accept'], summary: 'accept a challenge from your inbox', load: async () => (await import('./commands/inbox.js')).inboxAcceptCommand },
  { path: ['inbox', 'dismiss'], summary: 'remove an item from your inbox (a challenge is declined)', load: async () => (await import('./commands/inbox.js')).inboxDismissCommand }
]
