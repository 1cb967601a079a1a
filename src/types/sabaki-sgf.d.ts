// Typings for the parts of @sabaki/sgf 3.4 that p2pgo uses (the package ships none; it is CommonJS, so default export only).
declare module '@sabaki/sgf' {
  export interface SgfNode {
    id: number | string | null
    data: Record<string, string[]>
    parentId: number | string | null
    children: SgfNode[]
  }
  export interface SgfToken {
    type: 'parenthesis' | 'semicolon' | 'prop_ident' | 'c_value_type' | 'invalid'
    value: string
    row: number
    col: number
    pos: number
    progress: number
  }
  const sgf: {
    tokenize: (contents: string) => SgfToken[]
    tokenizeIter: (contents: string) => Iterable<SgfToken>
    parseTokens: (tokens: Iterable<SgfToken>, options?: Record<string, unknown>) => SgfNode[]
    parse: (contents: string, options?: Record<string, unknown>) => SgfNode[]
    stringify: (nodes: SgfNode | SgfNode[], options?: { linebreak?: string, indent?: string }) => string
    parseCompressedVertices: (input: string) => Array<[number, number]>
  }
  export default sgf
}
