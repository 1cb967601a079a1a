// Typings for the benchmark's comparison libraries, as they really load through require().
// wgo ships usable declarations of its own and needs nothing here.

/** @sabaki/go-board 1.4.3: its .d.ts says `export default`, but the CommonJS module exports the class itself. */
declare module '@sabaki/go-board' {
  type Sign = -1 | 0 | 1
  type Vertex = [number, number]

  interface MoveOptions {
    preventOverwrite?: boolean
    preventSuicide?: boolean
    preventKo?: boolean
  }

  class GoBoard {
    static fromDimensions (width: number, height?: number): GoBoard
    readonly width: number
    readonly height: number
    get (vertex: Vertex): Sign | null
    /** A new board after the move; throws when an enabled check fails. Sign 0 or an off-board vertex gives a clone. */
    makeMove (sign: Sign, vertex: Vertex, options?: MoveOptions): GoBoard
  }

  export = GoBoard
}

/** tenuki 0.3.1 (CommonJS, untyped): just the headless game API the benchmark calls. */
declare module 'tenuki' {
  type KoRule = 'simple' | 'positional-superko' | 'situational-superko' | 'natural-situational-superko'

  interface GameOptions {
    boardSize?: number
    koRule?: KoRule
    scoring?: 'territory' | 'area' | 'equivalence'
    komi?: number
  }

  interface RenderOptions {
    render?: boolean
  }

  interface Intersection {
    readonly y: number
    readonly x: number
    readonly value: 'black' | 'white' | 'empty'
  }

  export class Game {
    constructor (options?: GameOptions)
    /** Plays for the current player; false (and nothing changes) when illegal. */
    playAt (y: number, x: number, options?: RenderOptions): boolean
    pass (options?: RenderOptions): boolean
    isIllegalAt (y: number, x: number): boolean
    intersectionAt (y: number, x: number): Intersection
    currentPlayer (): 'black' | 'white'
    isOver (): boolean
  }
}
