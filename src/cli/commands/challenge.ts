import { askNode, nodeFlagOptions, type NodeFlags } from '../online-home.js'
import { parseCommandArgs, UsageError, type Command } from '../command.js'
import { challengeAnswer } from '../../queries/post-queries.js'
import { expiresDays } from './message.js'
import { day } from '../../units.js'
import type { ChallengeColor } from '../../net/challenge/messages.js'
import type { GameTerms } from '../../wire/game-start.js'

const usage = `Usage: p2pgo challenge [--home DIR] [--json] [--size N] [--rules chinese|japanese] [--komi K]
                       [--handicap N] [--color black|white|random] [--days D] [--bank-days B]
                       [--weekend-pause] [--no-clock] [--expires DAYS] PEER_ID|NAME

Challenges a player to a correspondence game, whether or not they are online: at once when they
are, else the challenge waits at their relays (a week, or DAYS up to 30) and shows in their p2pgo
inbox. When they accept, the game begins on your side as soon as their acceptance reaches you, and
on theirs when your countersignature reaches them; it then shows in p2pgo games. Until then it is
listed under "pending" in your p2pgo inbox. NAME is a player you have seen (lobby, friends, an
opponent in this home); it must match exactly one.

  --size N           board size (default 9)
  --rules R          chinese (default) or japanese
  --komi K           default 7.5 under chinese rules, 6.5 under japanese
  --handicap N       handicap stones for Black (default 0)
  --color C          the colour you play: black, white or random (default random)
  --days D           days per move (default 3)
  --bank-days B      most days a player may bank (default 7)
  --weekend-pause    no time runs from Saturday 00:00 to Monday 00:00 UTC
  --no-clock         no time limit at all
  --expires DAYS     how long the challenge waits for an answer (default 7, at most 30)
  --json             one line: {"id":"<proposal id>","to":"12D3KooW...","via":"direct"|"mailbox",
                     "held":["12D3KooW..."],"expires":ISO}

Exit status: 0 when the player or one of their relays has the challenge; 1 when nobody took it;
2 for bad arguments.`

const number = (flag: string, text: string | undefined, fallback: number): number => {
  if (text == null) return fallback
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a number, got ${text}`)
  return n
}

/** The terms the flags describe (checked by the game core when sent). */
export function termsOfFlags (v: Record<string, string | boolean | undefined>): { terms: GameTerms, color: ChallengeColor } {
  const rules = (v.rules as string | undefined) ?? 'chinese'
  if (rules !== 'chinese' && rules !== 'japanese') throw new UsageError(`--rules must be chinese or japanese, got ${rules}`)
  const color = (v.color as string | undefined) ?? 'random'
  if (color !== 'black' && color !== 'white' && color !== 'random') throw new UsageError(`--color must be black, white or random, got ${color}`)
  if (v['no-clock'] === true && (v.days != null || v['bank-days'] != null || v['weekend-pause'] === true)) throw new UsageError('--no-clock leaves no time to set: drop --days, --bank-days and --weekend-pause')
  const perMoveMs = Math.round(number('days', v.days as string | undefined, 3) * day)
  const maxBankMs = Math.round(number('bank-days', v['bank-days'] as string | undefined, Math.max(7, perMoveMs / day)) * day)
  const tc: GameTerms['tc'] = v['no-clock'] === true
    ? { kind: 'none' }
    : { kind: 'correspondence', perMoveMs, maxBankMs, ...(v['weekend-pause'] === true ? { weekendPause: { utcOffsetMin: 0 } } : {}) }
  return {
    terms: { size: number('size', v.size as string | undefined, 9), rules, komi: number('komi', v.komi as string | undefined, rules === 'chinese' ? 7.5 : 6.5), handicap: number('handicap', v.handicap as string | undefined, 0), placement: 'fixed', tc },
    color
  }
}

export const challengeCommand: Command = {
  path: ['challenge'],
  usage,
  async run (args, io) {
    const { values, positionals } = parseCommandArgs({
      args: [...args],
      options: {
        ...nodeFlagOptions,
        json: { type: 'boolean' },
        size: { type: 'string' },
        rules: { type: 'string' },
        komi: { type: 'string' },
        handicap: { type: 'string' },
        color: { type: 'string' },
        days: { type: 'string' },
        'bank-days': { type: 'string' },
        'weekend-pause': { type: 'boolean' },
        'no-clock': { type: 'boolean' },
        expires: { type: 'string' }
      },
      strict: true,
      allowPositionals: true
    })
    if (positionals.length !== 1) throw new UsageError('give exactly one player: PEER_ID or NAME')
    const { terms, color } = termsOfFlags(values)
    const days = expiresDays(values.expires)
    const params = { to: positionals[0], terms, color, ...(days != null ? { expiresDays: days } : {}) }
    const r = await askNode(values as NodeFlags, 'challenge', params, async (node, signal) => await challengeAnswer(node, params, signal), { warn: line => { io.printError(line) } })
    if (values.json === true) io.print(JSON.stringify(r))
    else io.print(r.via === 'direct' ? `challenge ${r.id} sent to ${r.to}; it waits for their answer until ${r.expires}` : `${r.to} is offline: challenge ${r.id} waits at their relays until ${r.expires}`)
    return 0
  }
}
