/**
 * How a key id is shown: its first 4 and last 4 characters ("vmPU…7tQx"), enough
 * that two keys of one account never look the same, never enough to use. Ids
 * shorter than 12 characters show only their last 4.
 */
export function maskKeyId(apiKey: string): string {
  return apiKey.length >= 12 ? `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}` : `…${apiKey.slice(-4)}`;
}
