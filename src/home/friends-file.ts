// The friends list in the home: `friends.json`, `{"friends":[{"peer":"12D3KooW...","name":"Alice"}]}`,
// written atomically by `p2pgo friends add|remove` and read by the node before each round of
// friends' reads. The name is the one the friend was added by or last seen with (for display).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { writeFileAtomic } from '../config/atomic-write.js'
import { MAX_FRIENDS } from '../net/friends/constants.js'

/** The friends file's name in the home. */
export const FRIENDS_FILE = 'friends.json'

/** One friend as the file holds it. */
export interface FriendEntry {
  /** Peer ID text. */
  readonly peer: string
  readonly name?: string
}

/** Why a friends command could not do what it was asked. */
export type FriendsErrorReason = 'bad-file' | 'unknown-name' | 'ambiguous-name' | 'not-a-friend' | 'already-a-friend' | 'too-many' | 'self'

/** A friends file or request that cannot be used; the message says what to do. */
export class FriendsError extends Error {
  static readonly code = 'ERR_FRIENDS'
  readonly code = FriendsError.code
  readonly reason: FriendsErrorReason

  constructor (reason: FriendsErrorReason, message: string) {
    super(message)
    this.name = 'FriendsError'
    this.reason = reason
  }
}

/** Whether `text` is a peer ID. */
export function isPeerId (text: string): boolean {
  try {
    peerIdFromString(text)
    return true
  } catch {
    return false
  }
}

/** Checks the file's content: a list of friends with valid peer IDs and optional names. Pure. */
export function parseFriends (text: string, path: string): FriendEntry[] {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    throw new FriendsError('bad-file', `${path} is not valid JSON (${(err as Error).message}); fix it or remove it to start an empty list`)
  }
  const list = (data as { friends?: unknown } | null)?.friends
  if (!Array.isArray(list)) throw new FriendsError('bad-file', `${path} should hold {"friends":[...]}; fix it or remove it to start an empty list`)
  return list.map((f: unknown, i) => {
    const entry = f as { peer?: unknown, name?: unknown } | null
    if (typeof entry?.peer !== 'string' || !isPeerId(entry.peer)) throw new FriendsError('bad-file', `${path}: friends[${i}].peer is not a peer ID; fix it or remove that friend`)
    return { peer: entry.peer, ...(typeof entry.name === 'string' ? { name: entry.name } : {}) }
  })
}

/** The friends listed in the home `dir` (none when there is no file). */
export async function loadFriends (dir: string): Promise<FriendEntry[]> {
  const path = join(dir, FRIENDS_FILE)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return []
    throw err
  }
  return parseFriends(text, path)
}

/** Writes the list to the home `dir`, atomically. */
export async function saveFriends (dir: string, friends: readonly FriendEntry[]): Promise<void> {
  await writeFileAtomic(join(dir, FRIENDS_FILE), JSON.stringify({ friends }, null, 2) + '\n')
}

/** A player the running node has seen in its lobby (or among its friends), by name. */
export interface SeenPlayer { readonly peer: string, readonly name: string }

/**
 * The friend `arg` names: a peer ID as given, or a name that exactly one player seen has.
 * FriendsError 'unknown-name' or 'ambiguous-name' otherwise, in words. Pure.
 */
export function resolveFriend (arg: string, seen: readonly SeenPlayer[] | undefined): FriendEntry {
  if (isPeerId(arg)) return { peer: peerIdFromString(arg).toString(), ...nameFor(arg, seen) }
  if (seen == null) throw new FriendsError('unknown-name', `"${arg}" is not a peer ID, and no p2pgo node runs with this home to look the name up in its lobby; give the friend's peer ID (they see it with \`p2pgo id\`), or add them by name while the terminal client runs`)
  const matches = [...new Map(seen.filter(p => p.name === arg).map(p => [p.peer, p])).values()]
  if (matches.length === 0) throw new FriendsError('unknown-name', `nobody named "${arg}" is in the lobby now; names are matched exactly, so check the spelling, or give the friend's peer ID`)
  if (matches.length > 1) throw new FriendsError('ambiguous-name', `${matches.length} players are named "${arg}": give the peer ID of the one you mean: ${matches.map(m => m.peer).join(', ')}`)
  return { peer: matches[0].peer, name: matches[0].name }
}

function nameFor (peer: string, seen: readonly SeenPlayer[] | undefined): { name?: string } {
  const name = seen?.find(p => p.peer === peer)?.name
  return name != null ? { name } : {}
}

/** The list with `friend` added; FriendsError when it is there already or the list is full. Pure. */
export function withFriend (list: readonly FriendEntry[], friend: FriendEntry, self?: string): FriendEntry[] {
  if (friend.peer === self) throw new FriendsError('self', 'that is this home\'s own peer ID: a player cannot be their own friend')
  if (list.some(f => f.peer === friend.peer)) throw new FriendsError('already-a-friend', `${friend.peer}${friend.name != null ? ` (${friend.name})` : ''} is already a friend`)
  if (list.length >= MAX_FRIENDS) throw new FriendsError('too-many', `the list already holds ${MAX_FRIENDS} friends, the most a node follows; remove one first`)
  return [...list, friend]
}

/** The list without the friend `arg` names (peer ID, or the name it is listed with); FriendsError when none or several match. Pure. */
export function withoutFriend (list: readonly FriendEntry[], arg: string): { list: FriendEntry[], removed: FriendEntry } {
  const matches = list.filter(f => f.peer === arg || f.name === arg)
  if (matches.length === 0) throw new FriendsError('not-a-friend', `"${arg}" is not in the friends list (see \`p2pgo friends\`)`)
  if (matches.length > 1) throw new FriendsError('ambiguous-name', `${matches.length} friends are named "${arg}": give the peer ID of the one you mean: ${matches.map(m => m.peer).join(', ')}`)
  return { list: list.filter(f => f !== matches[0]), removed: matches[0] }
}
