// Canonical text of a resource quantity ("1024Mi" -> "1Gi", "1000M" -> "1G", "0.5" -> "500m"),
// the form the API server prints in Table cells. Unparseable input is returned unchanged.

const BINARY = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX: Record<number, string> = Object.fromEntries(Object.entries(DECIMAL).map(([s, e]) => [e, s]));

const pow = (base: bigint, exp: number): bigint => base ** BigInt(exp);

export function canonicalQuantity(input: string | number | undefined): string {
  if (input === undefined) return "0";
  const text = String(input).trim();
  const match = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.exec(text);
  if (!match) return text;
  const [, sign, number, suffix = ""] = match;
  const [whole, frac = ""] = number!.split(".");
  let num = BigInt((whole || "0") + frac);
  let den = pow(10n, frac.length);
  let binary = false;
  let exponentForm = false;
  const binaryIndex = BINARY.indexOf(suffix);
  if (suffix !== "" && binaryIndex > 0) {
    num *= pow(1024n, binaryIndex);
    binary = true;
  } else {
    let exp: number;
    if (suffix in DECIMAL) exp = DECIMAL[suffix]!;
    else {
      exp = Number(suffix.slice(1));
      exponentForm = true;
    }
    if (exp >= 0) num *= pow(10n, exp);
    else den *= pow(10n, -exp);
  }
  const negative = sign === "-" && num !== 0n;
  const prefix = negative ? "-" : "";
  // Whole numbers of at least 1024 keep a binary suffix.
  if (binary && num % den === 0n && num / den >= 1024n) {
    let value = num / den;
    let i = 0;
    while (i < BINARY.length - 1 && value % 1024n === 0n) {
      value /= 1024n;
      i++;
    }
    return `${prefix}${value}${BINARY[i]}`;
  }
  // Otherwise decimal, rounded up to nano precision, with the largest exact SI suffix.
  let nanos = (num * pow(10n, 9) + den - 1n) / den;
  if (nanos === 0n) return "0";
  let exp = -9;
  while (exp < 18 && nanos % 1000n === 0n) {
    nanos /= 1000n;
    exp += 3;
  }
  if (exponentForm) return `${prefix}${nanos}${exp === 0 ? "" : `e${exp}`}`;
  return `${prefix}${nanos}${DECIMAL_SUFFIX[exp]}`;
}
