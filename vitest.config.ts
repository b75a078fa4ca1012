import { defineConfig } from "vitest/config";

// Three kinds of test: pure logic in Node (unit), Durable Objects and the Worker inside
// workerd (workers), and real kubectl / client-node against a local control plane (e2e).
export default defineConfig({
  test: {
    projects: ["test/unit/vitest.config.ts", "test/workers/vitest.config.ts", "test/e2e/vitest.config.ts"],
  },
});
