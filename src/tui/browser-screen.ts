// The reputation inspector and the RNA browser: a list of query answers, one row selectable, and
// the details of the selected row. The lines are pure; the loaders ask the node's queries.
import { formatReputationAnswer, reputationAnswer } from '../queries/reputation-queries.js'
import { formatRnaAnswer, rnaAnswer } from '../queries/rna-queries.js'
import type { P2pgoNode } from '../net/node.js'

/** Screens that are lists of query answers. */
export type Browser = 'reputation' | 'rna'

/** A browser's rows, the key each selectable row opens (a peer, an RNA ID), and the selection. */
export interface BrowserView {
  lines: string[]
  keys: string[]
  selected: number
}

const TITLES: Record<Browser, string> = {
  reputation: 'Reputation: the peers this node has seen (best first)',
  rna: 'RNA: finished games this node holds as training data'
}

/** The browser as lines in blessed tags: its title, then the rows around the selection; `esc` escapes text. */
export function browserLines (which: Browser, b: BrowserView, width: number, height: number, esc: (t: string) => string): string[] {
  const rows = b.lines.map((line, i) => {
    const text = esc(`${i === b.selected && b.keys.length > 0 ? '>' : ' '} ${line}`.slice(0, width))
    return i === b.selected && b.keys.length > 0 ? `{inverse}${text}{/inverse}` : text
  })
  const room = height - 2
  const start = Math.max(0, Math.min(b.selected - Math.floor(room / 2), rows.length - room))
  return [`{bold}${esc(TITLES[which])}{/bold}`, '', ...rows.slice(start, start + room)]
}

/** The list a browser opens on: the top peers by reputation, or the RNA held. */
export async function browserList (node: P2pgoNode, which: Browser): Promise<{ lines: string[], keys: string[] }> {
  if (which === 'reputation') {
    const answer = await reputationAnswer(node, { limit: 100 }, AbortSignal.timeout(10_000))
    const keys = 'top' in answer ? answer.top.map(t => t.peer) : []
    return { lines: formatReputationAnswer(answer), keys }
  }
  const answer = await rnaAnswer(node, { op: 'ls' })
  return { lines: formatRnaAnswer(answer), keys: answer.op === 'ls' ? answer.rna.map(r => r.id) : [] }
}

/** The details of one row: a peer's reputation, or one RNA. */
export async function browserDetail (node: P2pgoNode, which: Browser, key: string): Promise<string[]> {
  return which === 'reputation'
    ? formatReputationAnswer(await reputationAnswer(node, { peer: key }, AbortSignal.timeout(30_000)))
    : formatRnaAnswer(await rnaAnswer(node, { op: 'show', id: key }))
}
