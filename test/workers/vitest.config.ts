import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Durable Objects and the Worker, inside workerd. Storage is isolated per test file.
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ROOT_TOKEN: "test-root-token",
          HISTORY_EVENTS: "50",
          WATCH_KEEPALIVE_MS: "200",
          WATCH_BOOKMARK_MS: "300",
        },
      },
    }),
  ],
  test: {
    name: "workers",
    include: ["test/workers/**/*.test.ts"],
    root: new URL("../..", import.meta.url).pathname,
  },
});
