import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

// Bad arguments are refused before anything starts: exit 2 and a sentence naming the flag.
describe('p2pgo bot arguments', () => {
  it.each([
    [['bot', '--seek'], '--engine "CMD" is required'],
    [['bot', '--engine', 'gnugo', '--seek', '--accept'], 'give exactly one of --seek, --accept and --match'],
    [['bot', '--engine', 'gnugo', '--seek', '--size', '11'], '--size must be 9, 13 or 19'],
    [['bot', '--engine', 'gnugo', '--seek', '--games', '0'], '--games must be a whole number'],
    [['bot', '--engine', 'gnugo', '--seek', '--move-delay=-5'], '--move-delay must be whole milliseconds'],
    [['bot', '--engine', 'gnugo', '--seek', '--move-delay', '1.5'], '--move-delay must be whole milliseconds'],
    [['bot', '--engine', 'gnugo', '--seek', '--bogus'], 'bogus']
  ])('%j is refused', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args)
    expect(code).toBe(2)
    expect(stderr).toContain(message)
    expect(stdout).toBe('')
  })
})

describe('p2pgo gtp arguments', () => {
  it.each([
    [['gtp'], 'give exactly one of --seek, --challenge PEER, --match and --accept'],
    [['gtp', '--seek', '--accept'], 'give exactly one of --seek, --challenge PEER, --match and --accept'],
    [['gtp', '--challenge', 'bob'], '--challenge takes a peer ID (12D3Koo...), got bob'],
    [['gtp', '--seek', '--size', '10'], '--size must be 9, 13 or 19'],
    [['gtp', '--seek', '--komi', 'lots'], '--komi must be a number such as 7.5']
  ])('%j is refused', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args)
    expect(code).toBe(2)
    expect(stderr).toContain(message)
    expect(stdout).toBe('')
  })
})

describe('p2pgo peers arguments', () => {
  it.each([
    [['peers', '--bogus'], 'bogus'],
    [['peers', 'extra'], 'extra']
  ])('%j is refused with exit 2', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args)
    expect(code).toBe(2)
    expect(stderr).toContain(message)
    expect(stdout).toBe('')
  })
})

describe('p2pgo rating and match arguments', () => {
  it.each([
    [['rating', '--size', '11'], '--size must be 9, 13 or 19'],
    [['rating', 'a', 'b'], 'at most one PEER_ID'],
    [['rating', 'not-a-peer'], '"not-a-peer" is not a peer ID'],
    [['rating', '--bogus'], 'bogus'],
    [['match', '--size', '7'], '--size must be 9, 13 or 19'],
    [['match', 'extra'], 'extra']
  ])('%j is refused with exit 2', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args)
    expect(code).toBe(2)
    expect(stderr).toContain(message)
    expect(stdout).toBe('')
  })
})
