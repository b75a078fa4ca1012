// IP addresses as A and AAAA record data: text to the 4 or 16 bytes on the wire, and back to the
// canonical text (RFC 5952 for IPv6) so answers look the same whichever way an address was written.
import { isIPv4, isIPv6 } from "../validation/ip.ts";

/** The 4 bytes of a dotted-quad address, or undefined when `text` is not one. */
export function ipv4Bytes(text: string): Uint8Array | undefined {
  if (!isIPv4(text)) return undefined;
  return Uint8Array.from(text.split(".").map(Number));
}

/** The 16 bytes of an IPv6 address (with `::` and an embedded IPv4 tail allowed), or undefined. */
export function ipv6Bytes(text: string): Uint8Array | undefined {
  if (!isIPv6(text)) return undefined;
  const groupsOf = (part: string): number[] => {
    if (part === "") return [];
    const groups = part.split(":");
    const last = groups[groups.length - 1]!;
    const tail = isIPv4(last) ? last.split(".").map(Number) : undefined;
    const hex = (tail ? groups.slice(0, -1) : groups).map((g) => parseInt(g, 16));
    return tail ? [...hex, (tail[0]! << 8) | tail[1]!, (tail[2]! << 8) | tail[3]!] : hex;
  };
  const [head = "", rest] = text.split("::");
  const left = groupsOf(head);
  const right = rest === undefined ? [] : groupsOf(rest);
  const groups = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

export const ipv4Text = (bytes: Uint8Array): string => Array.from(bytes.subarray(0, 4)).join(".");

/** RFC 5952: lower case, no leading zeros, the longest run (2+ groups, first if tied) of zeros as `::`. */
export function ipv6Text(bytes: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end += 1;
    if (end - i > bestLength) {
      bestStart = i;
      bestLength = end - i;
    }
    i = end;
  }
  const hex = (list: number[]) => list.map((g) => g.toString(16)).join(":");
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** Which record an address belongs in, with its canonical text; undefined for anything not an IP. */
export function classifyAddress(text: string): { kind: "A" | "AAAA"; address: string } | undefined {
  const v4 = ipv4Bytes(text);
  if (v4) return { kind: "A", address: ipv4Text(v4) };
  const v6 = ipv6Bytes(text);
  if (v6) return { kind: "AAAA", address: ipv6Text(v6) };
  return undefined;
}
