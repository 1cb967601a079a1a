// TrueSkill's factor graph for one player against one: a line-for-line port of the part of
// ts-trueskill 5.1.0 (MIT, itself a port of sublee's Python trueskill) that `rate_1vs1` runs.
// Why a port: ts-trueskill imports mathjs (18 MB installed) for its match-quality matrices, the
// largest dependency a global install of p2pgo would carry. Ratings are audited by recomputing
// them on other nodes, so the port keeps every floating-point operation and its order (precision
// form, `sigma ** -2`, the message schedule): test/rating/trueskill-graph.test.ts checks it gives
// bit-identical results to ts-trueskill on many random games.
import { Gaussian } from 'ts-gaussian'

/** A normal distribution in precision form, as ts-trueskill's SkillGaussian holds it. */
class Skill {
  constructor (public pi = 0, public tau = 0) {}

  static of (mu: number, sigma: number): Skill {
    if (sigma === 0) throw new Error('sigma**2 should be greater than 0')
    const pi = sigma ** -2
    return new Skill(pi, pi * mu)
  }

  get mu (): number { return this.pi === 0 ? 0 : this.tau / this.pi }
  get sigma (): number { return this.pi === 0 ? Infinity : Math.sqrt(1 / this.pi) }
  mul (o: Skill): Skill { return new Skill(this.pi + o.pi, this.tau + o.tau) }
  div (o: Skill): Skill { return new Skill(this.pi - o.pi, this.tau - o.tau) }
}

/** A variable node: its value and the last message each factor sent it. */
class Variable extends Skill {
  readonly messages = new Map<Factor, Skill>()

  message (f: Factor): Skill { return this.messages.get(f) as Skill }

  private setVal (val: Skill): number {
    const piDelta = Math.abs(this.pi - val.pi)
    const delta = piDelta === Infinity ? 0 : Math.max(Math.abs(this.tau - val.tau), Math.sqrt(piDelta))
    this.pi = val.pi
    this.tau = val.tau
    return delta
  }

  updateMessage (f: Factor, pi: number, tau: number): number {
    const old = this.message(f)
    const next = new Skill(pi, tau)
    this.messages.set(f, next)
    return this.setVal(this.div(old).mul(next))
  }

  updateValue (f: Factor, value: Skill): number {
    this.messages.set(f, value.mul(this.message(f)).div(this))
    return this.setVal(value)
  }
}

class Factor {
  constructor (readonly vars: Variable[]) {
    for (const v of vars) v.messages.set(this, new Skill())
  }
}

class PriorFactor extends Factor {
  constructor (readonly v: Variable, readonly val: Skill, readonly dynamic: number) { super([v]) }
  down (): number {
    const sigma = Math.sqrt(this.val.sigma ** 2 + this.dynamic ** 2)
    return this.v.updateValue(this, Skill.of(this.val.mu, sigma))
  }
}

class LikelihoodFactor extends Factor {
  constructor (readonly mean: Variable, readonly value: Variable, readonly variance: number) { super([mean, value]) }
  private a (v: Skill): number { return 1.0 / (this.variance * v.pi + 1.0) }
  down (): number {
    const msg = this.mean.div(this.mean.message(this))
    const a = this.a(msg)
    return this.value.updateMessage(this, a * msg.pi, a * msg.tau)
  }

  up (): number {
    const msg = this.value.div(this.value.message(this))
    const a = this.a(msg)
    return this.mean.updateMessage(this, a * msg.pi, a * msg.tau)
  }
}

class SumFactor extends Factor {
  constructor (readonly sum: Variable, readonly terms: Variable[], readonly coeffs: number[]) { super([sum, ...terms]) }
  down (): number {
    return this.update(this.sum, this.terms, this.coeffs)
  }

  up (index: number): number {
    const coeff = this.coeffs[index]
    const coeffs = this.coeffs.map((c, x) => {
      let p = x === index ? 1.0 / coeff : -c / coeff
      p = Number.isFinite(p) ? p : 0
      return coeff === 0 ? 0 : p
    })
    const vals = [...this.terms]
    vals[index] = this.sum
    return this.update(this.terms[index], vals, coeffs)
  }

  private update (v: Variable, vals: Variable[], coeffs: number[]): number {
    let piInv = 0
    let mu = 0
    vals.forEach((val, i) => {
      const div = val.div(val.message(this))
      mu += coeffs[i] * div.mu
      if (Number.isFinite(piInv)) piInv += coeffs[i] ** 2 / div.pi
    })
    const pi = 1.0 / piInv
    return v.updateMessage(this, pi, pi * mu)
  }
}

type VW = (diff: number, drawMargin: number) => number

class TruncateFactor extends Factor {
  constructor (readonly v: Variable, readonly vFunc: VW, readonly wFunc: VW, readonly drawMargin: number) { super([v]) }
  up (): number {
    const div = this.v.div(this.v.message(this))
    const sqrtPi = Math.sqrt(div.pi)
    const v = this.vFunc(div.tau / sqrtPi, this.drawMargin * sqrtPi)
    const w = this.wFunc(div.tau / sqrtPi, this.drawMargin * sqrtPi)
    const denom = 1.0 - w
    return this.v.updateValue(this, new Skill(div.pi / denom, (div.tau + sqrtPi * v) / denom))
  }
}

const normal = new Gaussian(0, 1)

function vWin (diff: number, drawMargin: number): number {
  const x = diff - drawMargin
  const denom = normal.cdf(x)
  return denom !== 0 ? normal.pdf(x) / denom : -x
}

function wWin (diff: number, drawMargin: number): number {
  const x = diff - drawMargin
  const v = vWin(diff, drawMargin)
  const w = v * (v + x)
  if (w > 0 && w < 1) return w
  throw new Error('floating point error')
}

function vDraw (diff: number, drawMargin: number): number {
  const absDiff = Math.abs(diff)
  const a = drawMargin - absDiff
  const b = -drawMargin - absDiff
  const denom = normal.cdf(a) - normal.cdf(b)
  const numer = normal.pdf(b) - normal.pdf(a)
  return (denom !== 0 ? numer / denom : a) * (diff < 0 ? -1 : +1)
}

function wDraw (diff: number, drawMargin: number): number {
  const absDiff = Math.abs(diff)
  const a = drawMargin - absDiff
  const b = -drawMargin - absDiff
  const denom = normal.cdf(a) - normal.cdf(b)
  if (denom === 0) throw new Error('Floating point error')
  const v = vDraw(absDiff, drawMargin)
  return v ** 2 + (a * normal.pdf(a) - b * normal.pdf(b)) / denom
}

/** The TrueSkill environment a game is rated in. */
export interface TrueSkillEnv { beta: number, tau: number, drawProbability: number }

/** A rating as mean and standard deviation. */
export interface MuSigma { mu: number, sigma: number }

/** Smallest change of the difference's message that ends the schedule (ts-trueskill's minDelta default). */
const MIN_DELTA = 0.0001

/**
 * Both players' ratings after one game, the winner first (in a draw the order does not matter):
 * ts-trueskill's `rate_1vs1(winner, loser, drawn, 0.0001, env)`, bit for bit.
 */
export function rate1vs1 (first: MuSigma, second: MuSigma, drawn: boolean, env: TrueSkillEnv): [MuSigma, MuSigma] {
  const priors = [first, second].map(r => Skill.of(r.mu, r.sigma))
  const ratingVars = [new Variable(), new Variable()]
  const perfVars = [new Variable(), new Variable()]
  const teamPerfVars = [new Variable(), new Variable()]
  const diffVar = new Variable()
  const ratingLayer = ratingVars.map((v, i) => new PriorFactor(v, priors[i], env.tau))
  const perfLayer = ratingVars.map((v, i) => new LikelihoodFactor(v, perfVars[i], env.beta ** 2))
  // Team weights are max(minDelta, 1) = 1.
  const teamPerfLayer = teamPerfVars.map((v, i) => new SumFactor(v, [perfVars[i]], [1]))
  for (const f of ratingLayer) f.down()
  for (const f of perfLayer) f.down()
  for (const f of teamPerfLayer) f.down()
  const teamDiff = new SumFactor(diffVar, teamPerfVars, [1, -1])
  // Two players in all: calcDrawMargin(p, 2) = ppf((p + 1) / 2) * sqrt(2) * beta.
  const drawMargin = normal.ppf((env.drawProbability + 1) / 2) * Math.sqrt(2) * env.beta
  const trunc = drawn ? new TruncateFactor(diffVar, vDraw, wDraw, drawMargin) : new TruncateFactor(diffVar, vWin, wWin, drawMargin)
  for (let i = 0; i <= 10; i++) {
    teamDiff.down()
    if (trunc.up() <= MIN_DELTA) break
  }
  teamDiff.up(0)
  teamDiff.up(1)
  for (const f of teamPerfLayer) f.up(0)
  for (const f of perfLayer) f.up()
  // ts-trueskill returns new Rating(v.mu, v.sigma), whose getters go through precision form again.
  const out = ratingLayer.map(f => { const r = Skill.of(f.v.mu, f.v.sigma); return { mu: r.mu, sigma: r.sigma } })
  return [out[0], out[1]]
}

/**
 * TrueSkill's match quality for one player against one: the draw probability relative to a
 * perfectly even game, sqrt(2b²/c²)·exp(-(mu1-mu2)²/(2c²)) with c² = 2b² + s1² + s2²
 * (ts-trueskill computes the same with matrices).
 */
export function quality1vs1 (a: MuSigma, b: MuSigma, beta: number): number {
  const c2 = 2 * beta ** 2 + a.sigma ** 2 + b.sigma ** 2
  return Math.exp(-((a.mu - b.mu) ** 2) / (2 * c2)) * Math.sqrt(2 * beta ** 2 / c2)
}
