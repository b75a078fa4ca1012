// DNS over HTTPS (RFC 8484): the query from a GET's `dns` parameter (base64url, unpadded) or a
// POST body, and the HTTP answer's headers. Malformed input is a 400 Status, as any bad request
// to the API is.
import { badRequest, requestEntityTooLarge } from "../errors.ts";
import type { DnsMessage } from "./message.ts";
import { DnsFormatError, decodeMessage, MAX_MESSAGE_BYTES } from "./wire.ts";

export const DNS_MESSAGE = "application/dns-message";

export function encodeBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export function decodeBase64Url(text: string): Uint8Array {
  // Padding is not sent (RFC 8484 §4.1), but tolerated.
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw badRequest("the dns parameter is not base64url");
  try {
    return Uint8Array.from(atob(text.replace(/=+$/, "").replaceAll("-", "+").replaceAll("_", "/")), (c) =>
      c.charCodeAt(0),
    );
  } catch {
    throw badRequest("the dns parameter is not base64url");
  }
}

/** A query message from wire bytes: 413 past DNS's size, 400 for anything malformed. */
export function parseQuery(bytes: Uint8Array): DnsMessage {
  if (bytes.length > MAX_MESSAGE_BYTES) throw requestEntityTooLarge("a DNS message is at most 65535 bytes");
  try {
    return decodeMessage(bytes);
  } catch (err) {
    if (err instanceof DnsFormatError) throw badRequest(`malformed DNS message: ${err.message}`);
    throw err;
  }
}

/** RFC 8484 §5.1: a response may be cached no longer than its smallest TTL. */
export const dnsCacheHeaders = (contentType: string, seconds: number): Record<string, string> => ({
  "content-type": contentType,
  "cache-control": `max-age=${seconds}`,
});
