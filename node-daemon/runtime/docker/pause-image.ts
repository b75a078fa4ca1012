// The pod sandbox image, built on the node without a registry: a tar holding one tiny static
// ELF executable that waits for signals forever (what Kubernetes' pause container does), imported
// with `POST /images/create?fromSrc=-`.

/** Machine code of `for (;;) wait-for-a-signal;` per architecture. */
const LOOPS: Record<string, { machine: number; code: number[] }> = {
  // x86-64: mov eax, 34 (pause); syscall; jmp back to the mov.
  amd64: { machine: 62, code: [0xb8, 0x22, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xeb, 0xf7] },
  // aarch64: x0..x3 = 0; x8 = 73 (ppoll); svc #0; branch back six instructions.
  arm64: {
    machine: 183,
    code: [0xd2800000, 0xd2800001, 0xd2800002, 0xd2800003, 0xd2800928, 0xd4000001, 0x17fffffa].flatMap((word) => [
      word & 0xff,
      (word >>> 8) & 0xff,
      (word >>> 16) & 0xff,
      (word >>> 24) & 0xff,
    ]),
  },
};

export const supportsPauseBinary = (arch: string) => arch in LOOPS;

/** A 64-bit little-endian ELF executable with one loadable segment (the whole file). */
export function pauseBinary(arch: string): Uint8Array {
  const loop = LOOPS[arch];
  if (!loop) throw new Error(`no pause binary for architecture ${arch}`);
  const headerSize = 64;
  const programHeaderSize = 56;
  const size = headerSize + programHeaderSize + loop.code.length;
  const base = 0x400000n;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]); // magic, 64-bit, little-endian, version 1, System V
  view.setUint16(16, 2, true); // ET_EXEC
  view.setUint16(18, loop.machine, true);
  view.setUint32(20, 1, true); // EV_CURRENT
  view.setBigUint64(24, base + BigInt(headerSize + programHeaderSize), true); // entry point
  view.setBigUint64(32, BigInt(headerSize), true); // program headers right after this header
  view.setBigUint64(40, 0n, true); // no section headers
  view.setUint32(48, 0, true);
  view.setUint16(52, headerSize, true);
  view.setUint16(54, programHeaderSize, true);
  view.setUint16(56, 1, true);
  view.setUint16(58, 64, true);
  view.setUint16(60, 0, true);
  view.setUint16(62, 0, true);
  const ph = headerSize;
  view.setUint32(ph, 1, true); // PT_LOAD
  view.setUint32(ph + 4, 5, true); // readable + executable
  view.setBigUint64(ph + 8, 0n, true); // from file offset 0
  view.setBigUint64(ph + 16, base, true);
  view.setBigUint64(ph + 24, base, true);
  view.setBigUint64(ph + 32, BigInt(size), true);
  view.setBigUint64(ph + 40, BigInt(size), true);
  view.setBigUint64(ph + 48, 0x10000n, true);
  bytes.set(loop.code, headerSize + programHeaderSize);
  return bytes;
}

const encoder = new TextEncoder();

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

/** A ustar archive of regular files. */
export function tarArchive(files: Array<{ name: string; mode: number; data: Uint8Array }>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const file of files) {
    const header = new Uint8Array(512);
    const put = (offset: number, text: string) => header.set(encoder.encode(text), offset);
    put(0, file.name);
    put(100, octal(file.mode, 8));
    put(108, octal(0, 8));
    put(116, octal(0, 8));
    put(124, octal(file.data.length, 12));
    put(136, octal(0, 12));
    put(148, "        "); // checksum counts as spaces while summing
    put(156, "0");
    put(257, "ustar\0");
    put(263, "00");
    put(265, "root");
    put(297, "root");
    const sum = header.reduce((total, byte) => total + byte, 0);
    put(148, sum.toString(8).padStart(6, "0") + "\0 ");
    blocks.push(header);
    const padded = new Uint8Array(Math.ceil(file.data.length / 512) * 512);
    padded.set(file.data);
    blocks.push(padded);
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const block of blocks) {
    out.set(block, offset);
    offset += block.length;
  }
  return out;
}
