// The load report (protocols/relay-load.md): one small map a relay sends and closes. Pure: the
// decoder checks size, CBOR, version, type and fields in the order every p2pgo decoder does,
// then that the numbers agree with each other, and returns a typed value or a RelayLoadError.
import { decodeMessage, encodeMessage } from '../../wire/envelope.js'
import { UnknownVersionError, WireError } from '../../wire/errors.js'
import { field, noExtraKeys, optional, uint, type CborMap } from '../../wire/schema.js'
import { MAX_LOAD_NUMBER, RELAY_LOAD_MAX_BYTES, RELAY_LOAD_VERSION } from './constants.js'
import { RelayLoadError } from './errors.js'

/** What a relay says of its load: its own claim, which a client bounds the effect of. */
export interface RelayLoad {
  /** Reservations the relay holds now. */
  readonly reservations: number
  /** Its limit. */
  readonly maxReservations: number
  /** Circuits open through it now. */
  readonly circuits: number
  /** Its limit when it has one. */
  readonly maxCircuits?: number
  /** Reservation requests it refused in the last 10 minutes. */
  readonly refused: number
}

const TYPE = 'load'
const FIELDS = ['v', 't', 'reservations', 'maxReservations', 'circuits', 'maxCircuits', 'refused']

const capped = (n: number, max: number = MAX_LOAD_NUMBER): number => Math.max(0, Math.min(Math.floor(n), max, MAX_LOAD_NUMBER))

/** The report as canonical CBOR; counts are capped at the limits (and at MAX_LOAD_NUMBER), so a relay never sends what a client would refuse. */
export function encodeRelayLoad (load: RelayLoad): Uint8Array {
  const maxReservations = Math.max(1, capped(load.maxReservations))
  const maxCircuits = load.maxCircuits != null ? Math.max(1, capped(load.maxCircuits)) : undefined
  return encodeMessage(RELAY_LOAD_VERSION, TYPE, {
    reservations: capped(load.reservations, maxReservations),
    maxReservations,
    circuits: capped(load.circuits, maxCircuits),
    ...(maxCircuits != null ? { maxCircuits } : {}),
    refused: capped(load.refused)
  })
}

/** Decodes a report; `from` names its sender in error messages ("the relay 12D3…"). Throws RelayLoadError. */
export function decodeRelayLoad (bytes: Uint8Array, from: string = 'the relay'): RelayLoad {
  let load: RelayLoad
  try {
    const { fields } = decodeMessage(bytes, { maxBytes: RELAY_LOAD_MAX_BYTES, versions: [RELAY_LOAD_VERSION], types: [TYPE] })
    load = fieldsOf(fields)
  } catch (err) {
    throw err instanceof WireError ? wireRefusal(err, from) : err
  }
  const ignored = 'a report that contradicts itself is ignored'
  if (load.maxReservations < 1) throw new RelayLoadError('out-of-range', `${from} reports a limit of 0 reservations: ${ignored}`)
  if (load.reservations > load.maxReservations) {
    throw new RelayLoadError('out-of-range', `${from} reports ${load.reservations} reservations with a limit of ${load.maxReservations}: ${ignored}`)
  }
  if (load.maxCircuits != null && load.maxCircuits < 1) throw new RelayLoadError('out-of-range', `${from} reports a limit of 0 circuits: ${ignored}`)
  if (load.maxCircuits != null && load.circuits > load.maxCircuits) {
    throw new RelayLoadError('out-of-range', `${from} reports ${load.circuits} circuits with a limit of ${load.maxCircuits}: ${ignored}`)
  }
  return load
}

function fieldsOf (f: CborMap): RelayLoad {
  noExtraKeys(f, FIELDS, '')
  const count = uint(MAX_LOAD_NUMBER)
  const maxCircuits = optional(f, 'maxCircuits', count, '')
  return {
    reservations: field(f, 'reservations', count, ''),
    maxReservations: field(f, 'maxReservations', count, ''),
    circuits: field(f, 'circuits', count, ''),
    ...(maxCircuits != null ? { maxCircuits } : {}),
    refused: field(f, 'refused', count, '')
  }
}

/** A wire error as the refusal of a load report from `from`. */
export function wireRefusal (err: WireError, from: string): RelayLoadError {
  if (err.reason === 'too-large') {
    return new RelayLoadError('too-large', `${from} sent a load report larger than ${RELAY_LOAD_MAX_BYTES} bytes: its load is ignored`, { cause: err })
  }
  if (err instanceof UnknownVersionError) {
    return new RelayLoadError('unknown-version', `${from} reports its load in version ${err.got} of the protocol and this p2pgo reads version ${RELAY_LOAD_VERSION}: its load is ignored (a newer p2pgo may read it)`, { cause: err })
  }
  return new RelayLoadError('malformed', `${from} sent a load report that is not valid (${err.message}): its load is ignored`, { cause: err })
}
