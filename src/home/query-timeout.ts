/** How long a rating or match query may take, DHT lookups included. */
export const QUERY_TIMEOUT_MS = 60_000
