// Small deterministic hashes (no crypto needed: these only have to change when content changes).
const encoder = new TextEncoder();

/** 64-bit FNV-1a of the UTF-8 bytes of `text`, as 8 bytes (big-endian). */
export const fnv1a64 = (text: string): Uint8Array => {
  // 64-bit state in four 16-bit limbs, least significant first.
  let h0 = 0x2325,
    h1 = 0x8422,
    h2 = 0x9ce4,
    h3 = 0xcbf2;
  for (const byte of encoder.encode(text)) {
    h0 ^= byte;
    // Multiply by the FNV prime 2^40 + 0x1b3.
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (t1 >>> 16) + (h0 << 8);
    const t3 = h3 * 0x1b3 + (t2 >>> 16) + (h1 << 8);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return new Uint8Array([h3 >>> 8, h3 & 0xff, h2 >>> 8, h2 & 0xff, h1 >>> 8, h1 & 0xff, h0 >>> 8, h0 & 0xff]);
};

export const fnv1a64Hex = (text: string): string =>
  [...fnv1a64(text)].map((b) => b.toString(16).padStart(2, "0")).join("");

export const fnv1a64Base64 = (text: string): string => btoa(String.fromCharCode(...fnv1a64(text)));
