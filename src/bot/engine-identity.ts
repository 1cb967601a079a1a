// What a GTP engine says it is, in the form a start record declares it (protocols/challenge.md,
// Engines): the answers to the standard `name` and `version` commands, made safe to sign.
import { basename } from 'node:path'
import { GtpEngine } from '../gtp/gtp-engine.js'
import { GtpError } from '../gtp/errors.js'
import { ENGINE_NAME_MAX_BYTES, ENGINE_VERSION_MAX_BYTES } from '../wire/game-start.js'
import type { AbortOptions } from '../gtp/gtp-engine.js'
import type { EngineInfo } from '../wire/game-start.js'

// Controls become spaces: an answer with a tab or a stray escape still names the engine.
const controls = /[\u0000-\u001f\u007f-\u009f]+/g
const utf8 = new TextEncoder()

/** One line of engine text: controls as spaces, runs of space as one, trimmed, cut to `maxBytes` on a character boundary. */
export function engineText (s: string, maxBytes: number): string {
  const line = s.replace(controls, ' ').replace(/\s+/g, ' ').trim()
  let out = ''
  let used = 0
  for (const ch of line) {
    used += utf8.encode(ch).length
    if (used > maxBytes) break
    out += ch
  }
  return out.trimEnd()
}

/**
 * The identity of a running engine. An engine that does not answer `name` (it is required by
 * GTP 2, but not every engine keeps to that) is named after its program file; one that does
 * not answer `version` gets an empty version. Only an engine that is gone is an error.
 */
export async function engineIdentity (engine: GtpEngine, program: string, options: AbortOptions = {}): Promise<EngineInfo> {
  const ask = async (command: string): Promise<string> => {
    try {
      return await engine.send(command, options)
    } catch (err) {
      if (err instanceof GtpError) return ''
      throw err
    }
  }
  const name = engineText(await ask('name'), ENGINE_NAME_MAX_BYTES)
  const version = engineText(await ask('version'), ENGINE_VERSION_MAX_BYTES)
  const file = engineText(basename(program), ENGINE_NAME_MAX_BYTES)
  return { name: name !== '' ? name : file !== '' ? file : 'engine', version }
}

/** Starts the engine just long enough to ask what it is, then closes it. */
export async function identifyEngine (command: string, args: readonly string[], options: AbortOptions = {}): Promise<EngineInfo> {
  const engine = new GtpEngine({ command, args })
  try {
    return await engineIdentity(engine, command, options)
  } finally {
    await engine.close().catch(() => {})
  }
}
