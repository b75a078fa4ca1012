import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../node-daemon/clock.ts";
import { tailLines } from "../../node-daemon/pods/log-tail.ts";
import { demultiplex } from "../../node-daemon/runtime/docker/client.ts";
import { criFromDocker, dockerSince, FrameParser, lastLogTime } from "../../node-daemon/runtime/docker/log-follower.ts";
import { pauseBinary, tarArchive } from "../../node-daemon/runtime/docker/pause-image.ts";
import { splitImage } from "../../node-daemon/runtime/docker/runtime.ts";
import { criLine, LogTailer } from "../../node-daemon/runtime/process/log-tailer.ts";
import {
  defaultPodCIDR,
  formatCIDR,
  gatewayOf,
  parseCIDR,
  podAddresses,
} from "../../node-daemon/runtime/process/network.ts";
import { validatePayloadPath, writeAtomically } from "../../node-daemon/volumes/atomic-writer.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "nd-unit-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const file = (text: string, mode = 0o644) => ({ data: Buffer.from(text), mode });

describe("atomic volume writer", () => {
  it("lays files out behind ..data and swaps them on update", () => {
    const dir = tempDir();
    expect(
      writeAtomically(
        dir,
        new Map([
          ["color", file("blue")],
          ["nested/deep.txt", file("x", 0o600)],
        ]),
      ),
    ).toBe(true);
    expect(readFileSync(join(dir, "color"), "utf8")).toBe("blue");
    expect(lstatSync(join(dir, "color")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, "color"))).toBe("..data/color");
    expect(statSync(join(dir, "nested/deep.txt")).mode & 0o777).toBe(0o600);
    const first = readlinkSync(join(dir, "..data"));

    expect(
      writeAtomically(
        dir,
        new Map([
          ["color", file("blue")],
          ["nested/deep.txt", file("x", 0o600)],
        ]),
      ),
    ).toBe(false);
    expect(
      writeAtomically(
        dir,
        new Map([
          ["color", file("green")],
          ["size", file("L")],
        ]),
      ),
    ).toBe(true);
    expect(readFileSync(join(dir, "color"), "utf8")).toBe("green");
    expect(readFileSync(join(dir, "size"), "utf8")).toBe("L");
    expect(existsSync(join(dir, "nested"))).toBe(false);
    expect(existsSync(join(dir, first))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith("..2")).length).toBe(1);
  });

  it("refuses paths that escape the volume", () => {
    expect(validatePayloadPath("../etc/passwd")).toContain("must not contain '..'");
    expect(validatePayloadPath("/abs")).toContain("relative");
    expect(validatePayloadPath("..data")).toContain("must not start with '..'");
    expect(validatePayloadPath("ok/file")).toBeUndefined();
  });
});

describe("CRI logs", () => {
  it("formats lines with nanosecond timestamps", () => {
    expect(criLine(Date.parse("2026-01-01T00:00:00.123Z"), "stdout", "hello")).toBe(
      "2026-01-01T00:00:00.123000000Z stdout F hello\n",
    );
    expect(criLine(0, "stderr", "part", true)).toContain(" stderr P part");
  });

  it("stamps what a process wrote, holding back unfinished lines until the end", async () => {
    const dir = tempDir();
    const clock = new ManualClock(Date.parse("2026-01-01T00:00:00Z"));
    const source = {
      stdout: join(dir, "out"),
      stderr: join(dir, "err"),
      log: join(dir, "0.log"),
      offsets: { stdout: 0, stderr: 0 },
    };
    writeFileSync(source.stdout, "one\ntw");
    writeFileSync(source.stderr, "oops\n");
    const offsets: Array<{ stdout: number; stderr: number }> = [];
    const tailer = new LogTailer(clock);
    tailer.follow("c1", source, (o) => offsets.push(o));
    await clock.advance(250);
    expect(readFileSync(source.log, "utf8")).toBe(
      "2026-01-01T00:00:00.250000000Z stdout F one\n2026-01-01T00:00:00.250000000Z stderr F oops\n",
    );
    expect(offsets.at(-1)).toEqual({ stdout: 4, stderr: 5 });
    writeFileSync(source.stdout, "one\ntwo\nthr");
    await clock.advance(250);
    tailer.finish("c1");
    expect(readFileSync(source.log, "utf8").split("\n").slice(2)).toEqual([
      "2026-01-01T00:00:00.500000000Z stdout F two",
      "2026-01-01T00:00:00.500000000Z stdout P thr",
      "",
    ]);
    expect(lastLogTime(source.log)).toBe("2026-01-01T00:00:00.500000000Z");
    expect(tailLines(source.log, 2, 100)).toBe("two\nthr");
  });

  it("converts Docker's log frames and resumes after the last line written", () => {
    const frame = (stream: number, text: string) => {
      const payload = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    };
    const parser = new FrameParser(false);
    const bytes = Buffer.concat([
      frame(1, "2026-01-01T00:00:01.000000001Z hello\n"),
      frame(2, "2026-01-01T00:00:02.5Z warn\n"),
    ]);
    const first = parser.push(bytes.subarray(0, 20));
    const rest = parser.push(bytes.subarray(20));
    const payloads = [...first, ...rest];
    expect(payloads.map((p) => p.stream)).toEqual(["stdout", "stderr"]);
    expect(criFromDocker(payloads[0].stream, payloads[0].payload)).toBe(
      "2026-01-01T00:00:01.000000001Z stdout F hello\n",
    );
    expect(criFromDocker(payloads[0].stream, payloads[0].payload, "2026-01-01T00:00:01.000000001Z")).toBeUndefined();
    expect(criFromDocker(payloads[1].stream, payloads[1].payload, "2026-01-01T00:00:01.000000001Z")).toBe(
      "2026-01-01T00:00:02.5Z stderr F warn\n",
    );
    expect(criFromDocker("stdout", "2026-01-01T00:00:03Z no newline")).toBe(
      "2026-01-01T00:00:03Z stdout P no newline\n",
    );
    expect(dockerSince("2026-01-01T00:00:01.000000001Z")).toBe("1767225601.000000001");
    expect(demultiplex(bytes).stderr).toBe("2026-01-01T00:00:02.5Z warn\n");
    const tty = new FrameParser(true);
    expect(tty.push(Buffer.from("2026-01-01T00:00:01Z a\n2026-01-01T00:00:02Z b"))).toEqual([
      { stream: "stdout", payload: "2026-01-01T00:00:01Z a\n" },
    ]);
  });

  it("reads Docker json-file lines too", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "log"),
      '{"log":"a\\n","stream":"stdout","time":"t"}\n{"log":"b\\n","stream":"stderr","time":"t"}\n',
    );
    expect(tailLines(join(dir, "log"), 80, 2048)).toBe("a\nb");
  });
});

describe("pause image", () => {
  it("is a static ELF executable in a valid tar", () => {
    const elf = pauseBinary("amd64");
    expect([...elf.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(new DataView(elf.buffer).getUint16(18, true)).toBe(62);
    expect(new DataView(pauseBinary("arm64").buffer).getUint16(18, true)).toBe(183);
    const tar = tarArchive([{ name: "pause", mode: 0o755, data: elf }]);
    expect(tar.length % 512).toBe(0);
    const header = tar.subarray(0, 512);
    const stored = parseInt(Buffer.from(header.subarray(148, 154)).toString(), 8);
    const sum = [...header].reduce((total, byte, i) => total + (i >= 148 && i < 156 ? 32 : byte), 0);
    expect(stored).toBe(sum);
    expect(Buffer.from(header.subarray(124, 135)).toString()).toBe(elf.length.toString(8).padStart(11, "0"));
  });

  it("splits image references", () => {
    expect(splitImage("busybox")).toEqual({ repo: "busybox", tag: "latest" });
    expect(splitImage("local/busybox:1")).toEqual({ repo: "local/busybox", tag: "1" });
    expect(splitImage("reg:5000/app")).toEqual({ repo: "reg:5000/app", tag: "latest" });
    expect(splitImage("app@sha256:ab")).toEqual({ repo: "app", tag: "sha256:ab" });
  });
});

describe("pod network addresses", () => {
  it("allocates after the gateway, before broadcast", () => {
    const subnet = parseCIDR("10.88.7.9/24");
    expect(formatCIDR(subnet)).toBe("10.88.7.0/24");
    expect(gatewayOf(subnet)).toBe("10.88.7.1");
    const addresses = podAddresses(subnet);
    expect(addresses[0]).toBe("10.88.7.2");
    expect(addresses.at(-1)).toBe("10.88.7.254");
    expect(addresses.length).toBe(253);
    expect(defaultPodCIDR("node-a")).toMatch(/^10\.88\.\d+\.0\/24$/);
    expect(defaultPodCIDR("node-a")).toBe(defaultPodCIDR("node-a"));
    expect(() => parseCIDR("10.0.0.0/30")).toThrow("prefix");
  });
});
