/** What a command may do to the outside world: handed in, so commands are testable without a terminal. */
export interface CommandIo {
  /** Writes one line to standard output. */
  print: (line: string) => void
  /** Writes one line to standard error. */
  printError: (line: string) => void
  /** Reads a whole file. */
  readFile: (path: string) => Promise<Uint8Array>
}
