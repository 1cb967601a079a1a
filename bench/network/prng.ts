/** A deterministic PRNG (mulberry32): the benchmarks pick the same samples on every run. */
export { mulberry32 as prng } from '../../src/prng.js'
