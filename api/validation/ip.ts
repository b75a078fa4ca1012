// Loose IP and CIDR checks: enough to reject typos in clusterIP, podCIDR and the like.

export function isIPv4(text: string): boolean {
  const parts = text.split(".");
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

export function isIPv6(text: string): boolean {
  if (!text.includes(":")) return false;
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const compressed = halves.length === 2;
  const groupsOf = (part: string) => (part === "" ? [] : part.split(":"));
  const groups = [...groupsOf(halves[0]!), ...(compressed ? groupsOf(halves[1]!) : [])];
  let count = 0;
  const last = groups[groups.length - 1];
  if (last !== undefined && last.includes(".")) {
    if (!isIPv4(last)) return false;
    groups.pop();
    count += 2; // an embedded IPv4 address stands for two groups
  }
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  count += groups.length;
  return compressed ? count <= 7 : count === 8;
}

export const isIP = (text: string) => isIPv4(text) || isIPv6(text);

export function isCIDR(text: string): boolean {
  const slash = text.indexOf("/");
  if (slash < 0) return false;
  const address = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  if (isIPv4(address)) return Number(bits) <= 32;
  if (isIPv6(address)) return Number(bits) <= 128;
  return false;
}

export const IP_ERROR = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
export const CIDR_ERROR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
