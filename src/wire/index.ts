// The wire layer's public API: canonical CBOR, message envelopes, schemas, signatures, CIDs
// and framing. Pure: no libp2p, no sockets, no files (see protocols/conventions.md).
export { encodeCanonical, decodeCanonical, CID_TAG, DEFAULT_MAX_DEPTH, type DecodeLimits } from './cbor.js'
export { cidOf, cidOfCanonical, hashBytes, DAG_CBOR_CODE } from './cid.js'
export { encodeMessage, decodeMessage, MAX_TYPE_BYTES, type Message, type DecodeMessageOptions } from './envelope.js'
export { WireError, FrameTooLargeError, MalformedMessageError, UnknownVersionError, InvalidSignatureError, type MalformedReason, type SignatureReason } from './errors.js'
export { encodeFrame, decodeFrames, MAX_PREFIX_BYTES, type FrameLimits, type Chunk } from './frame.js'
export { asMap, field, optional, noExtraKeys, uint, int, text, bytes, oneOf, arrayOf, bool, halfNumber, cid, at, type CborMap, type Check } from './schema.js'
export { signingBytes, sign, verify, SIG_FIELD, SIGNATURE_BYTES, DOMAIN_PREFIX, type SigningKey, type VerifyingKey } from './signing.js'
