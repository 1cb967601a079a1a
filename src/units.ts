// Units of time in milliseconds, so durations read as what they are (`5 * minute`, not 300000).
// Pure and dependency-free: every layer, from the game rules to the bootstrap daemon, imports them.

/** One second in milliseconds. */
export const second = 1000
/** One minute in milliseconds. */
export const minute = 60 * second
/** One hour in milliseconds. */
export const hour = 60 * minute
/** One day in milliseconds. */
export const day = 24 * hour
