// Exact resource amounts for quota and limit arithmetic: a quantity as an integer number of
// nano-units (BigInt, so sums never drift) and whether it was written in binary form ("Mi"),
// which decides how a sum prints ("128Mi" + "128Mi" is "256Mi", "0.1" + "200m" is "300m").

export interface Amount {
  nanos: bigint;
  binary: boolean;
}

export const ZERO: Amount = { nanos: 0n, binary: false };
const NANO = 1_000_000_000n;

const SHAPE = /^([+-]?)(\d*)(?:\.(\d*))?([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/;
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
const DECIMAL_SUFFIX: Record<number, string> = Object.fromEntries(Object.entries(DECIMAL).map(([s, e]) => [e, s]));

/** The amount of a quantity (string or JSON number); undefined when it is not one. Rounds up to nano-units. */
export function parseAmount(input: unknown): Amount | undefined {
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return undefined;
    input = String(input);
  }
  if (typeof input !== "string") return undefined;
  const match = SHAPE.exec(input.trim());
  if (!match) return undefined;
  const [, sign = "", whole = "", fraction = "", suffix = ""] = match;
  if (whole === "" && fraction === "") return undefined;
  let digits = BigInt(`${whole}${fraction}` || "0");
  const binaryIndex = BINARY.indexOf(suffix);
  const binary = suffix !== "" && binaryIndex > 0;
  let exponent = -fraction.length + 9;
  if (binary) digits *= 1024n ** BigInt(binaryIndex);
  else exponent += /^[eE]/.test(suffix) ? Number(suffix.slice(1)) : DECIMAL[suffix]!;
  let nanos: bigint;
  if (exponent >= 0) nanos = digits * 10n ** BigInt(exponent);
  else {
    const divisor = 10n ** BigInt(-exponent);
    nanos = (digits + divisor - 1n) / divisor;
  }
  return { nanos: sign === "-" ? -nanos : nanos, binary };
}

/** An amount of whole units (counts). */
export const units = (count: number): Amount => ({ nanos: BigInt(count) * NANO, binary: false });

/** An amount of milli-units (what metrics and the HPA compute in). */
export const millis = (value: number): Amount => ({ nanos: BigInt(Math.round(value)) * 1_000_000n, binary: false });

/** A sum keeps the format of its first non-zero operand. */
export const add = (a: Amount, b: Amount): Amount => ({
  nanos: a.nanos + b.nanos,
  binary: a.nanos === 0n ? b.binary : a.binary,
});

export const subtract = (a: Amount, b: Amount): Amount => ({
  nanos: a.nanos - b.nanos,
  binary: a.nanos === 0n ? b.binary : a.binary,
});

export const compare = (a: Amount, b: Amount): number => (a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0);

export const maxOf = (a: Amount, b: Amount): Amount => (compare(a, b) >= 0 ? a : b);

/** The amount in milli-units, rounded up (Kubernetes' MilliValue). */
export const toMillis = (a: Amount): number => Number((a.nanos + 999_999n) / 1_000_000n);

/** The amount as a JavaScript number (for ratios). */
export const toNumber = (a: Amount): number => Number(a.nanos) / 1e9;

/** Canonical text, as the API server prints quantities: "500m", "256Mi", "1G", "3". */
export function formatAmount(a: Amount): string {
  if (a.nanos === 0n) return "0";
  const negative = a.nanos < 0n;
  const prefix = negative ? "-" : "";
  let nanos = negative ? -a.nanos : a.nanos;
  if (a.binary && nanos % NANO === 0n && nanos / NANO >= 1024n) {
    let value = nanos / NANO;
    let i = 0;
    while (i < BINARY.length - 1 && value % 1024n === 0n) {
      value /= 1024n;
      i += 1;
    }
    return `${prefix}${value}${BINARY[i]}`;
  }
  let exponent = -9;
  while (exponent < 18 && nanos % 1000n === 0n) {
    nanos /= 1000n;
    exponent += 3;
  }
  return `${prefix}${nanos}${DECIMAL_SUFFIX[exponent]}`;
}

/** Canonical text of a quantity as written (unparseable text is returned unchanged). */
export function canonical(input: unknown): string {
  const amount = parseAmount(input);
  return amount ? formatAmount(amount) : String(input);
}
