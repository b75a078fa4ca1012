// The Worker reads a body whole before forwarding it, with kube-apiserver's 3 MiB limit also for
// chunked bodies (no content-length to refuse them by).
import { describe, expect, it } from "vitest";
import { StatusError } from "../../api/errors.ts";
import { bufferedBody, MAX_BODY_BYTES } from "../../durable-objects/api-server/body.ts";

/** A POST whose body arrives in `chunks`, without a content-length. */
function chunked(chunks: Uint8Array[]): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Request("https://example.test/", { method: "POST", body, duplex: "half" } as RequestInit);
}

describe("bufferedBody", () => {
  it("is undefined without a body", async () => {
    expect(await bufferedBody(new Request("https://example.test/"))).toBeUndefined();
  });

  it("joins the chunks", async () => {
    const text = new TextDecoder().decode(
      await bufferedBody(chunked([new TextEncoder().encode('{"a":'), new TextEncoder().encode("1}")])),
    );
    expect(text).toBe('{"a":1}');
  });

  it("refuses more than 3 MiB with 413, also in chunks", async () => {
    const half = new Uint8Array(MAX_BODY_BYTES / 2 + 1);
    const error = await bufferedBody(chunked([half, half])).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).code).toBe(413);
  });
});
