// A watch response body, read as Kubernetes sends it: one JSON event per line (blank lines are
// keepalives). Each line reaches `onLine` with the time its chunk arrived.
export async function readWatchLines(
  body: AsyncIterable<unknown>,
  onLine: (line: string, arrivedAt: number) => void,
  afterChunk?: () => void,
): Promise<void> {
  let pending = "";
  for await (const chunk of body) {
    const now = performance.now();
    pending += (chunk as Buffer).toString("utf8");
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() !== "") onLine(line, now);
    }
    afterChunk?.();
  }
}
