import { minute, second } from '../../units.js'

/** The challenge protocol's ID (protocols/challenge.md); its major version is the wire `v`. */
export const CHALLENGE_PROTOCOL = '/p2pgo/challenge/1.0.0'

/** The wire version (`v`) of every challenge message. */
export const CHALLENGE_VERSION = 1

/** Largest frame body: a proposal with the longest time control, name, rating and engine is under 700 bytes; 4 KiB leaves room and caps a hostile peer. */
export const CHALLENGE_MAX_BYTES = 4 * 1024

/** Proposals (the propose and every counter) one stream may carry: enough to haggle, not to stall a peer forever. */
export const MAX_PROPOSALS = 4

/** Bytes of a proposal ID: it becomes the start record's nonce (protocols/game.md), 128 random bits. */
export const ID_BYTES = 16

/** A display name is at most 32 characters, as in the config (src/config/constants.ts NAME_MAX_LENGTH). */
export const NAME_MAX_CHARS = 32

/** 32 characters of UTF-8 are at most 128 bytes: the start record's own limit. */
export const NAME_MAX_BYTES = 128

/** A decline reason is a short machine word or phrase. */
export const REASON_MAX_BYTES = 64

/** A decline's optional sentence for the person who proposed. */
export const MESSAGE_MAX_BYTES = 256

/** The name used for this node when the caller gives none, as the config's fallback. */
export const DEFAULT_NAME = 'player'

/** How long a person has to answer an offer: time to read it; bots answer at once. */
export const ANSWER_TIMEOUT_MS = 1 * minute

/** How long an offer stays open by default: the answer time plus room for the network and a counter's round trip. */
export const OFFER_TTL_MS = 90 * second

/** The proposer waits this long past an offer's expiry for the decline 'timeout' the other side owes. */
export const EXPIRY_GRACE_MS = 5 * second

/** How long the side that opened a stream has to send its propose: a bot or a client sends it at once. */
export const FIRST_MESSAGE_TIMEOUT_MS = 10 * second

/** How long an accepter waits for the confirm: one round trip and one signature. */
export const CONFIRM_TIMEOUT_MS = 10 * second

/** An accept's `created` may differ from the proposer's clock by this much: catches nonsense, tolerates a badly set clock. */
export const CREATED_SKEW_MS = 60 * minute

/** Concurrent challenge streams one connection may open to us: a few players at once, not a flood. */
export const MAX_INBOUND_STREAMS = 8

/** Challenges this node may have open at once on one connection. */
export const MAX_OUTBOUND_STREAMS = 8
