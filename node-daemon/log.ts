// Progress and diagnostic lines, prefixed with the node's name ("node vm: …").
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** Shown only with FLOTILLA_DEBUG set. */
  debug(message: string): void;
}

export function consoleLogger(prefix: string, debug = Boolean(process.env.FLOTILLA_DEBUG)): Logger {
  return {
    info: (message) => console.log(`${prefix}: ${message}`),
    warn: (message) => console.warn(`${prefix}: warning: ${message}`),
    debug: (message) => {
      if (debug) console.log(`${prefix}: [debug] ${message}`);
    },
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, debug: () => {} };

export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
