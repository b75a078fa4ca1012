// exec/attach plumbing that needs no container: Docker's stream framing and hijack answers, the
// channel-4 resize message, the process runtime's terminal command line and attach fan-out, and
// how the tunnel host drives a runtime session (first size, early input, TTY output).
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { ExecRequest } from "../../api/tunnel/protocol.ts";
import { parseTerminalSize } from "../../durable-objects/tunnel/channels.ts";
import { ManualClock } from "../../node-daemon/clock.ts";
import { errorMessageOf, parseResponseHead } from "../../node-daemon/runtime/docker/hijack.ts";
import { StreamDemuxer } from "../../node-daemon/runtime/docker/stream-frames.ts";
import { resizeQueue } from "../../node-daemon/runtime/resize-queue.ts";
import type { ExecProcess, StreamOptions, TerminalSize } from "../../node-daemon/runtime/exec-process.ts";
import { AttachHub } from "../../node-daemon/runtime/process/attach.ts";
import { LogTailer } from "../../node-daemon/runtime/process/log-tailer.ts";
import { shellQuote, terminalArgv } from "../../node-daemon/runtime/process/terminal.ts";
import type { ContainerInfo, ContainerRuntime } from "../../node-daemon/runtime/types.ts";
import type { ExecInput, ExecIO } from "../../node-daemon/tunnel/client.ts";
import { TunnelError } from "../../node-daemon/tunnel/client.ts";
import { FIRST_SIZE_WAIT_MS, RuntimeTunnelHost } from "../../node-daemon/tunnel/host.ts";

const frame = (stream: number, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe("Docker stream framing", () => {
  it("splits frames into stdout and stderr, whatever the chunks", () => {
    const bytes = Buffer.concat([frame(1, "out\n"), frame(2, "err\n"), frame(1, ""), frame(1, "more")]);
    for (const cut of [1, 3, 8, 9, 12, 13, 20, bytes.length]) {
      const demuxer = new StreamDemuxer();
      const out = [...demuxer.push(bytes.subarray(0, cut)), ...demuxer.push(bytes.subarray(cut))];
      const text = (stream: number) =>
        out
          .filter((f) => f.stream === stream)
          .map((f) => Buffer.from(f.data).toString())
          .join("");
      expect(text(1), `cut at ${cut}`).toBe("out\nmore");
      expect(text(2), `cut at ${cut}`).toBe("err\n");
      expect(demuxer.buffered).toBe(0);
    }
  });

  it("holds an unfinished frame", () => {
    const demuxer = new StreamDemuxer();
    expect(demuxer.push(frame(1, "hello").subarray(0, 10))).toEqual([]);
    expect(demuxer.buffered).toBe(10);
  });
});

describe("hijacked connection answers", () => {
  it("parses a 101 head and says where the stream starts", () => {
    const text = "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nUpgrade: tcp\r\n\r\nxy";
    const head = parseResponseHead(Buffer.from(text));
    expect(head).toMatchObject({ status: 101, headers: { upgrade: "tcp" } });
    expect(text.slice(head!.length)).toBe("xy");
  });

  it("waits for the whole head, and reads the engine's error messages", () => {
    expect(parseResponseHead(Buffer.from("HTTP/1.1 409 Conflict\r\nContent-Length: 5"))).toBeUndefined();
    expect(() => parseResponseHead(Buffer.from("SSH-2.0\r\n\r\n"))).toThrow(/unexpected answer/);
    expect(errorMessageOf('{"message":"Container abc is not running"}\n')).toBe("Container abc is not running");
    expect(errorMessageOf('2b\r\n{"message":"No such exec instance: x"}\r\n0\r\n\r\n')).toBe(
      "No such exec instance: x",
    );
    expect(errorMessageOf("page not found\n")).toBe("page not found");
  });
});

describe("resize messages (channel 4)", () => {
  const parse = (text: string) => parseTerminalSize(new TextEncoder().encode(text));
  it("reads kubectl's JSON and ignores anything else", () => {
    expect(parse('{"Width":100,"Height":30}')).toEqual({ width: 100, height: 30 });
    expect(parse('{"Width":-1,"Height":30}')).toBeUndefined();
    expect(parse('{"Width":"80","Height":30}')).toBeUndefined();
    expect(parse("null")).toBeUndefined();
    expect(parse("{oops")).toBeUndefined();
  });
});

describe("resize queue", () => {
  it("applies sizes one at a time, in order, skipping those overtaken while waiting", async () => {
    const applied: number[] = [];
    const pending: Array<() => void> = [];
    const resize = resizeQueue(
      (size) =>
        new Promise<void>((resolve) => {
          applied.push(size.width);
          pending.push(resolve);
        }),
    );
    resize({ width: 101, height: 31 }); // kubectl attach: size + 1 ...
    resize({ width: 100, height: 30 }); // ... then the size
    resize({ width: 120, height: 40 });
    expect(applied).toEqual([101]);
    pending.shift()!();
    await settle();
    expect(applied).toEqual([101, 120]);
    pending.shift()!();
    await settle();
    resize({ width: 80, height: 24 });
    expect(applied).toEqual([101, 120, 80]);
  });
});

describe("process runtime terminals", () => {
  it("quotes words for the shell", () => {
    expect(shellQuote("/bin/echo")).toBe("/bin/echo");
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
    expect(shellQuote("")).toBe("''");
  });

  it("sizes the terminal before the command and puts the container's SHELL back", () => {
    const argv = terminalArgv(["sh", "-c", "stty size; echo 'a b'"], { size: { width: 100, height: 30 } });
    expect(argv.slice(0, 2)).toEqual(["script", "-qfec"]);
    expect(argv[3]).toBe("/dev/null");
    expect(argv[2]).toBe(`stty rows 30 cols 100 2>/dev/null; unset SHELL; exec sh -c 'stty size; echo '\\''a b'\\'''`);
    expect(terminalArgv(["id"], { shell: "/bin/bash" })[2]).toBe("export SHELL=/bin/bash; exec id");
  });

  it.skipIf(spawnSync("sh", ["-c", "command -v script"]).status !== 0)(
    "runs the command line on a terminal of the given size",
    () => {
      const [command, ...args] = terminalArgv(["sh", "-c", "stty size; tty; exit 7"], {
        size: { width: 91, height: 17 },
      });
      const run = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, SHELL: "/bin/sh" } });
      expect(run.status).toBe(7);
      expect(run.stdout.replace(/\r/g, "")).toMatch(/^17 91\n\/dev\/pts\/\d+\n$/);
    },
  );
});

describe("process runtime attach", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function followed() {
    const dir = mkdtempSync(join(tmpdir(), "nd-attach-"));
    dirs.push(dir);
    const clock = new ManualClock();
    const tailer = new LogTailer(clock);
    const source = { stdout: join(dir, "out"), stderr: join(dir, "err"), log: join(dir, "0.log") };
    for (const path of Object.values(source)) writeFileSync(path, "");
    tailer.follow("c1", { ...source, offsets: { stdout: 0, stderr: 0 } }, () => {});
    return { clock, tailer, source, hub: new AttachHub(tailer) };
  }

  const collect = (stream: NodeJS.ReadableStream) => {
    const chunks: string[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
    return () => chunks.join("");
  };

  const options = (extra: Partial<StreamOptions & { stdinOnce: boolean }> = {}) => ({
    tty: false,
    stdin: true,
    stdout: true,
    stderr: true,
    stdinOnce: false,
    ...extra,
  });

  it("fans new output out to every session and ends them when the container ends", async () => {
    const { clock, tailer, source, hub } = followed();
    appendFileSync(source.stdout, "before\n");
    await clock.advance(300);
    const first = hub.session("c1", options())!;
    const second = hub.session("c1", options({ tty: true }))!;
    const [out1, err1, out2] = [collect(first.stdout), collect(first.stderr), collect(second.stdout)];
    appendFileSync(source.stdout, "tick 1\n");
    appendFileSync(source.stderr, "oops\n");
    await clock.advance(300);
    expect(out1()).toBe("tick 1\n");
    expect(err1()).toBe("oops\n");
    expect(out2()).toBe("tick 1\noops\n"); // one stream with a terminal
    tailer.finish("c1");
    expect(await first.exit).toBe(0);
    expect(await second.exit).toBe(0);
    expect(hub.session("c1", options())).toBeUndefined();
  });

  it("writes to the container's stdin; stdinOnce closes it when the session ends", async () => {
    const { hub } = followed();
    const pipe = new PassThrough();
    const received = collect(pipe);
    let ended = false;
    pipe.on("end", () => (ended = true));
    hub.keepStdin("c1", pipe);
    const once = hub.session("c1", options({ stdinOnce: true }))!;
    once.stdin.write("hello\n");
    await new Promise((resolve) => setImmediate(resolve));
    expect(received()).toBe("hello\n");
    once.kill();
    expect(await once.exit).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(true);
  });

  it("leaves stdin open across sessions without stdinOnce", async () => {
    const { hub } = followed();
    const pipe = new PassThrough();
    const received = collect(pipe);
    hub.keepStdin("c1", pipe);
    const first = hub.session("c1", options())!;
    first.stdin.end("one\n");
    first.kill();
    const second = hub.session("c1", options())!;
    second.stdin.write("two\n");
    await new Promise((resolve) => setImmediate(resolve));
    expect(received()).toBe("one\ntwo\n");
    expect(pipe.writable).toBe(true);
  });
});

/** A runtime that records what the host asked for; sessions are driven by the test. */
function fakeRuntime(state: ContainerInfo["state"] = "running") {
  const calls: Array<{ kind: "exec" | "attach"; command?: string[]; options: StreamOptions }> = [];
  const session = {
    stdin: [] as string[],
    stdinEnded: false,
    resizes: [] as TerminalSize[],
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    exit: undefined as unknown as (code: number) => void,
    killed: false,
  };
  const make = (): ExecProcess => ({
    stdin: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        session.stdin.push(chunk.toString());
        callback();
      },
      final(callback) {
        session.stdinEnded = true;
        callback();
      },
    }),
    stdout: session.stdout,
    stderr: session.stderr,
    exit: new Promise((resolve) => (session.exit = resolve)),
    kill: () => (session.killed = true),
    resize: (size) => session.resizes.push(size),
  });
  const container = { id: "c1", name: "main", attempt: 0, state } as ContainerInfo;
  const runtime = {
    listContainers: async () => [container],
    execStream: async (_id: string, command: string[], options: StreamOptions) => {
      calls.push({ kind: "exec", command, options });
      return make();
    },
    attach: async (_id: string, options: StreamOptions) => {
      calls.push({ kind: "attach", options });
      return make();
    },
  } as unknown as ContainerRuntime;
  return { runtime, calls, session };
}

/** The tunnel's side of a session: kubectl's input, sent when the test says. */
function fakeIO() {
  const written: Array<{ channel: number; text: string }> = [];
  const early: Array<(input: ExecInput) => void> = [];
  let input: ExecInput | undefined;
  let sized!: (size: TerminalSize) => void;
  const abort = new AbortController();
  const send = (deliver: (input: ExecInput) => void) => (input ? deliver(input) : early.push(deliver));
  const io: ExecIO = {
    write: (channel, bytes) => written.push({ channel, text: Buffer.from(bytes).toString() }),
    onInput: (target) => {
      input = target;
      for (const deliver of early.splice(0)) deliver(target);
    },
    firstSize: new Promise((resolve) => (sized = resolve)),
    signal: abort.signal,
  };
  return {
    io,
    written,
    abort,
    stdin: (text: string) => send((i) => i.stdin(Buffer.from(text))),
    stdinEnd: () => send((i) => i.stdinEnd()),
    resize: (size: TerminalSize) => {
      sized(size);
      send((i) => i.resize(size));
    },
  };
}

const request = (extra: Partial<ExecRequest> = {}): ExecRequest => ({
  namespace: "ns",
  pod: "p",
  uid: "u1",
  container: "main",
  command: ["sh"],
  attach: false,
  stdin: true,
  stdout: true,
  stderr: true,
  tty: true,
  ...extra,
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("tunnel host sessions", () => {
  it("starts a terminal session with kubectl's first size, and replays input sent meanwhile", async () => {
    const { runtime, calls, session } = fakeRuntime();
    const clock = new ManualClock();
    const tunnel = fakeIO();
    const exit = new RuntimeTunnelHost(runtime, clock).exec(request(), tunnel.io);
    tunnel.stdin("echo hi\n");
    await settle();
    expect(calls).toEqual([]); // still waiting for the size
    tunnel.resize({ width: 100, height: 30 });
    await settle();
    expect(calls[0].options).toEqual({
      tty: true,
      stdin: true,
      stdout: true,
      stderr: false,
      size: { width: 100, height: 30 },
    });
    expect(session.stdin).toEqual(["echo hi\n"]);
    tunnel.resize({ width: 120, height: 40 });
    expect(session.resizes).toEqual([
      { width: 100, height: 30 },
      { width: 120, height: 40 },
    ]);
    session.stderr.write("warning\n");
    await settle();
    expect(tunnel.written).toEqual([{ channel: 1, text: "warning\n" }]);
    session.exit(3);
    expect(await exit).toBe(3);
  });

  it("starts unsized when no size comes in time (a client without a terminal)", async () => {
    const { runtime, calls, session } = fakeRuntime();
    const clock = new ManualClock();
    const tunnel = fakeIO();
    const exit = new RuntimeTunnelHost(runtime, clock).exec(request(), tunnel.io);
    await clock.advance(FIRST_SIZE_WAIT_MS);
    expect(calls[0].options.size).toBeUndefined();
    session.exit(0);
    expect(await exit).toBe(0);
  });

  it("ends a command's stdin when kubectl sends none, keeps stderr apart without a terminal", async () => {
    const { runtime, session } = fakeRuntime();
    const tunnel = fakeIO();
    const exit = new RuntimeTunnelHost(runtime, new ManualClock()).exec(
      request({ tty: false, stdin: false }),
      tunnel.io,
    );
    await settle();
    expect(session.stdinEnded).toBe(true);
    session.stderr.write("err");
    session.stdout.write("out");
    await settle();
    expect(tunnel.written).toEqual([
      { channel: 2, text: "err" },
      { channel: 1, text: "out" },
    ]);
    session.exit(0);
    await exit;
  });

  it("attaches without touching the container's stdin, and detaches when kubectl leaves", async () => {
    const { runtime, calls, session } = fakeRuntime();
    const tunnel = fakeIO();
    const exit = new RuntimeTunnelHost(runtime, new ManualClock()).exec(
      request({ attach: true, command: [], tty: false, stdin: false }),
      tunnel.io,
    );
    await settle();
    expect(calls[0].kind).toBe("attach");
    expect(session.stdinEnded).toBe(false);
    tunnel.abort.abort();
    expect(session.killed).toBe(true);
    session.exit(0);
    expect(await exit).toBe(0);
  });

  it("refuses a container that is not running as the kubelet does", async () => {
    const { runtime } = fakeRuntime("exited");
    const error = await new RuntimeTunnelHost(runtime, new ManualClock())
      .exec(request({ attach: true }), fakeIO().io)
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TunnelError);
    expect(error).toMatchObject({ status: 500, reason: "InternalError" });
    expect((error as Error).message).toBe(
      'Internal error occurred: unable to upgrade connection: container not found ("main")',
    );
  });
});
