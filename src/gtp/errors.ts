/** The engine answered a command with '?': the command line and the engine's own words. */
export class GtpError extends Error {
  static readonly code = 'ERR_GTP_FAILURE'
  readonly code = GtpError.code
  /** The command as sent, without its id or newline (e.g. 'play black D4'). */
  readonly command: string
  /** What the engine said after '?' (e.g. 'illegal move'). */
  readonly engineMessage: string

  constructor (command: string, engineMessage: string) {
    super(`GTP engine refused "${command}": ${engineMessage}`)
    this.name = 'GtpError'
    this.command = command
    this.engineMessage = engineMessage
  }
}

/** Text that is not GTP: a malformed response, or a command that cannot be written as one GTP line. */
export class GtpProtocolError extends Error {
  static readonly code = 'ERR_GTP_PROTOCOL'
  readonly code = GtpProtocolError.code
  /** The offending text, as received or as asked for. */
  readonly text: string

  constructor (message: string, text: string) {
    super(`${message}: ${JSON.stringify(text.length > 200 ? text.slice(0, 200) + '…' : text)}`)
    this.name = 'GtpProtocolError'
    this.text = text
  }
}

/** The engine process is gone (failed to start, exited, or was closed) before it answered. */
export class GtpEngineClosedError extends Error {
  static readonly code = 'ERR_GTP_ENGINE_CLOSED'
  readonly code = GtpEngineClosedError.code
  /** The process's exit code, or null when it was killed by a signal or never ran. */
  readonly exitCode: number | null
  /** The signal that ended the process, if any. */
  readonly signal: string | null

  constructor (message: string, exitCode: number | null = null, signal: string | null = null) {
    super(message)
    this.name = 'GtpEngineClosedError'
    this.exitCode = exitCode
    this.signal = signal
  }
}
