// Terminal resizes are applied one at a time, in order, and when several queue up (a window being
// dragged, or kubectl attach's size+1-then-size redraw trick) only the latest still waiting is
// applied: concurrent requests could land out of order and leave the terminal at a stale size.
import type { TerminalSize } from "./exec-process.ts";

export function resizeQueue(apply: (size: TerminalSize) => Promise<void>): (size: TerminalSize) => void {
  let running = false;
  let next: TerminalSize | undefined;
  const drain = async () => {
    running = true;
    while (next) {
      const size = next;
      next = undefined;
      await apply(size).catch(() => {});
    }
    running = false;
  };
  return (size) => {
    next = size;
    if (!running) void drain();
  };
}
