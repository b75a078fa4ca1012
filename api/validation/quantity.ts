// resource.Quantity strings ("500m", "1Gi", "128974848", "1e3") as plain numbers.
// Decimal forms go through Number("<mantissa>e<exp>") and binary forms are scaled by
// exact powers of two, so equal quantities written differently compare equal.

export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

const SHAPE = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/;

/** The quantity's value; throws an Error with Kubernetes' message when it is not a quantity. */
export function parseQuantity(input: string | number): number {
  if (typeof input === "number") {
    if (!Number.isFinite(input)) throw new Error(QUANTITY_FORMAT_ERROR);
    return input;
  }
  const match = SHAPE.exec(input);
  if (!match) throw new Error(QUANTITY_FORMAT_ERROR);
  const [, sign, whole = "", fraction = "", suffix = ""] = match;
  if (whole === "" && fraction === "") throw new Error(QUANTITY_FORMAT_ERROR);
  const mantissa = `${sign}${whole || "0"}.${fraction || "0"}`;

  const exponent = /^[eE]([+-]?\d+)$/.exec(suffix);
  if (exponent) return Number(`${mantissa}e${exponent[1]}`);
  if (Object.hasOwn(DECIMAL_SUFFIXES, suffix)) return Number(`${mantissa}e${DECIMAL_SUFFIXES[suffix]}`);
  if (Object.hasOwn(BINARY_SUFFIXES, suffix)) return Number(mantissa) * 2 ** BINARY_SUFFIXES[suffix]!;
  throw new Error(QUANTITY_FORMAT_ERROR);
}

/** The value, or undefined when absent or malformed. */
export function tryParseQuantity(input: unknown): number | undefined {
  if (typeof input !== "string" && typeof input !== "number") return undefined;
  try {
    return parseQuantity(input);
  } catch {
    return undefined;
  }
}
