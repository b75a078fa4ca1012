// resourceVersion is an opaque string to clients but, in Flotilla, always the
// decimal form of a storage revision counter. Revisions stay within the range a
// JS number holds exactly, so parsing refuses anything larger rather than round.
import { badRequest } from "../errors.ts";

const MAX_REVISION = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Parses a client-supplied resourceVersion. Absent or "" means "unset"
 * (undefined); "0" means "any version" and is returned as 0. Anything that is
 * not a non-negative decimal integer within 2^53-1 is a 400.
 */
export function parseResourceVersion(text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  if (!/^\d+$/.test(text) || BigInt(text) > MAX_REVISION)
    throw badRequest(`invalid resource version ${JSON.stringify(text)}: must be a non-negative integer`);
  return Number(text);
}

export function formatResourceVersion(revision: number): string {
  return String(revision);
}
