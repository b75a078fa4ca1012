// CIDR arithmetic: whether one block lies inside another, as NetworkPolicy ipBlock.except needs.
// Addresses become bigints so IPv4 (32 bits) and IPv6 (128 bits) share one code path.
import { isCIDR, isIPv4 } from "./ip.ts";

export interface CIDRBlock {
  bits: 32 | 128;
  /** The network address: the given address with the host bits cleared. */
  network: bigint;
  prefix: number;
}

const ipv4Value = (text: string): bigint =>
  text.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);

function ipv6Value(text: string): bigint {
  const [head = "", tail] = text.split("::");
  const groupsOf = (part: string): bigint[] => {
    if (part === "") return [];
    const groups = part.split(":");
    const last = groups[groups.length - 1]!;
    // An embedded IPv4 address stands for the last two groups.
    const embedded = isIPv4(last) ? [ipv4Value(last) >> 16n, ipv4Value(last) & 0xffffn] : undefined;
    const hex = (embedded ? groups.slice(0, -1) : groups).map((g) => BigInt(`0x${g}`));
    return embedded ? [...hex, ...embedded] : hex;
  };
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  const zeros = Array<bigint>(8 - left.length - right.length).fill(0n);
  return [...left, ...zeros, ...right].reduce((acc, group) => (acc << 16n) | group, 0n);
}

/** The block a CIDR string names, or undefined when it is not a CIDR. */
export function parseCIDR(text: string): CIDRBlock | undefined {
  if (!isCIDR(text)) return undefined;
  const [address = "", prefixText = ""] = text.split("/");
  const bits = isIPv4(address) ? 32 : 128;
  const prefix = Number(prefixText);
  const value = bits === 32 ? ipv4Value(address) : ipv6Value(address);
  const hostBits = BigInt(bits - prefix);
  return { bits, prefix, network: (value >> hostBits) << hostBits };
}

/** True when `inner` is a smaller block inside `outer` (a block is not a strict subset of itself). */
export function isStrictSubset(inner: CIDRBlock, outer: CIDRBlock): boolean {
  if (inner.bits !== outer.bits || inner.prefix <= outer.prefix) return false;
  const hostBits = BigInt(outer.bits - outer.prefix);
  return inner.network >> hostBits === outer.network >> hostBits;
}
