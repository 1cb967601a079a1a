// An independent TrueSkill reference for one player against one (Herbrich, Minka, Graepel 2007,
// the closed-form two-player update; Moser, "Computing your skill", eqs. for v and w), written
// from the formulas with no code shared with ts-trueskill, to check p2pgo's ratings against.

const phi = (x: number): number => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI)

/** The standard normal CDF by Simpson's rule from 0 (error far below 1e-9 here). */
export function cdf (x: number): number {
  const n = 20000
  const h = x / n
  let sum = phi(0) + phi(x)
  for (let i = 1; i < n; i++) sum += phi(i * h) * (i % 2 === 1 ? 4 : 2)
  return 0.5 + sum * h / 3
}

/** The inverse CDF by bisection. */
export function ppf (p: number): number {
  let lo = -10
  let hi = 10
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2
    if (cdf(mid) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

export interface Env { beta: number, tau: number, drawProbability: number }

/** Winner's and loser's (mu, sigma) after a decisive game. */
export function referenceWin (winner: [number, number], loser: [number, number], env: Env): { winner: [number, number], loser: [number, number] } {
  const s1 = Math.sqrt(winner[1] ** 2 + env.tau ** 2)
  const s2 = Math.sqrt(loser[1] ** 2 + env.tau ** 2)
  const c = Math.sqrt(2 * env.beta ** 2 + s1 ** 2 + s2 ** 2)
  const eps = ppf((env.drawProbability + 1) / 2) * Math.sqrt(2) * env.beta
  const t = (winner[0] - loser[0]) / c
  const e = eps / c
  const v = phi(t - e) / cdf(t - e)
  const w = v * (v + t - e)
  return {
    winner: [winner[0] + s1 ** 2 / c * v, s1 * Math.sqrt(1 - s1 ** 2 / c ** 2 * w)],
    loser: [loser[0] - s2 ** 2 / c * v, s2 * Math.sqrt(1 - s2 ** 2 / c ** 2 * w)]
  }
}
