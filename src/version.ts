/** p2pgo's version, as `p2pgo --version` and the simple player's GTP `version` say it; kept equal to package.json by a test. */
export const P2PGO_VERSION = '0.1.0'
