/** The environment variable that names the home when `--home` is not given. */
export const HOME_ENV = 'P2PGO_HOME'

/** The home under the user's home directory when neither `--home` nor `$P2PGO_HOME` is set (like ~/.ipfs, ~/.ssh). */
export const DEFAULT_HOME_NAME = '.p2pgo'

/** The JSON file of overrides on top of `defaultConfig()` (helia/kubo style: only what differs). */
export const CONFIG_FILE = 'config.json'

/** The libp2p private key, protobuf-encoded as libp2p's `privateKeyToProtobuf` writes it. */
export const IDENTITY_FILE = 'identity.key'

/** The LevelDB directory shared by libp2p (peer store, DHT records) and p2pgo's own data. */
export const DATASTORE_DIR = 'datastore'

/** Inside the datastore directory: the pid of the process holding it, so a second process can say who. LevelDB ignores files it did not name. */
export const PID_FILE = 'p2pgo.pid'

/** Every p2pgo key in the shared datastore starts with this, apart from libp2p's own `/peers`, `/dht`… */
export const P2PGO_KEY_PREFIX = '/p2pgo'

/** The home holds the private key and game history: owner only, as ssh does for ~/.ssh. */
export const HOME_DIR_MODE = 0o700

/** The private key file: owner read/write only (ssh refuses keys readable by others). */
export const IDENTITY_FILE_MODE = 0o600

/** Files p2pgo writes into the home other than the key: owner only, like the directory. */
export const HOME_FILE_MODE = 0o600

/** Longest display name, in characters (code points): fits a board header and a lobby column. */
export const NAME_MAX_LENGTH = 32

/** Display name when the OS user name cannot be read (no passwd entry in some containers). */
export const FALLBACK_NAME = 'player'

/**
 * Default listen addresses: TCP on every interface of both families (IPv4 and IPv6, each a port
 * the OS picks; where IPv6 is off, libp2p skips that address and starts on the others), plus two
 * `/p2p-circuit` (a reservation on each of two relays, the last rung of the NAT ladder: when one
 * relay goes away, peers still reach this node through the other while the transport finds a
 * replacement) and `/webrtc` (hole punching by WebRTC signalled over a relay, the rung that works
 * from Node: Node dials TCP from an ephemeral port, so a TCP hole punch cannot work,
 * https://github.com/libp2p/js-libp2p/issues/2620).
 */
export const DEFAULT_LISTEN: readonly string[] = ['/ip4/0.0.0.0/tcp/0', '/ip6/::/tcp/0', '/p2p-circuit', '/p2p-circuit', '/webrtc']

/** Relay reservations a node holds when its listen set names none of its own: the two of DEFAULT_LISTEN. */
export const DEFAULT_RELAY_SLOTS = 2

/** The most relay reservations `relaySlots` may ask for: each costs a relay a slot (relays grant 15 by default). */
export const MAX_RELAY_SLOTS = 8

/** Relay service: 'auto' offers it only when AutoNAT finds us publicly reachable. */
export const RELAY_SERVER_MODES = ['auto', 'on', 'off'] as const

/** Log levels, quietest first; each includes those before it. */
export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug', 'trace'] as const

/** Default log level: what a player wants to see in a terminal without asking. */
export const DEFAULT_LOG_LEVEL = 'info'
