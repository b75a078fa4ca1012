// Continue tokens for paginated lists. A token carries the revision the first page was read at
// (every page reports it and shows the state at it; see verbs/list-snapshot.ts) and the storage key
// of the last item returned; the next page starts after that key. Revision 0 marks kube's
// "inconsistent" token, handed out with a 410 when that state is gone: it reads the current state.
// To clients it is opaque base64url JSON; the version tag lets the format change later without
// misreading old tokens.
import { badRequest, gone, internalError } from "../errors.ts";
import type { StatusError } from "../errors.ts";
import { isObject } from "../types.ts";

export interface ContinueToken {
  /** Revision of the snapshot the first page was read from. */
  rv: number;
  /** Storage key of the last item returned; the next page starts strictly after it. */
  start: string;
}

const FORMAT_VERSION = 1;

function toBase64Url(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(token: string): string {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(token)) throw new Error("not base64url");
  const binary = atob(token.replace(/=+$/, "").replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
}

export function encodeContinue(token: ContinueToken): string {
  // A bad token here is a server bug, not a client error.
  if (!Number.isSafeInteger(token.rv) || token.rv < 0 || typeof token.start !== "string" || token.start === "")
    throw internalError(`cannot encode continue token ${JSON.stringify(token)}`);
  return toBase64Url(JSON.stringify({ v: FORMAT_VERSION, rv: token.rv, start: token.start }));
}

/** Decodes a `?continue=` value; anything we did not issue is a 400. */
export function decodeContinue(text: string): ContinueToken {
  const invalid = (why: string) => badRequest(`continue key is not valid: ${why}`);
  let payload: unknown;
  try {
    payload = JSON.parse(fromBase64Url(text));
  } catch {
    throw invalid("not an encoded continue token");
  }
  if (!isObject(payload) || payload.v !== FORMAT_VERSION) throw invalid("unrecognized continue token format");
  const { rv, start } = payload;
  if (typeof rv !== "number" || !Number.isSafeInteger(rv) || rv < 0)
    throw invalid("incorrect encoded start resourceVersion");
  if (typeof start !== "string" || start === "") throw invalid("encoded start key is empty");
  return { rv, start };
}

/** The 410 for a token whose snapshot revision has been compacted away. */
export function expiredContinue(): StatusError {
  return gone(
    "The provided continue parameter is too old to display a consistent list result. " +
      "You can start a new list without the continue parameter, or use the continue token in this response to " +
      "retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - " +
      "objects that were created, modified, or deleted between the time the first chunk was returned and now may " +
      "show up in the list.",
  );
}
