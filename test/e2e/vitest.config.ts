import { defineConfig } from "vitest/config";

// End-to-end: one local control plane (workerd via Miniflare, fresh state, ephemeral port)
// shared by every file; real kubectl and @kubernetes/client-node drive it.
export default defineConfig({
  test: {
    name: "e2e",
    include: ["test/e2e/**/*.test.ts"],
    root: new URL("../..", import.meta.url).pathname,
    globalSetup: ["test/e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
