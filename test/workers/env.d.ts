// Types for the workerd test suite: the bindings `env` carries, and the helpers of `cloudflare:test`.
/// <reference types="@cloudflare/vitest-plugin/types" />
import type { Env as FlotillaEnv } from "../../durable-objects/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends FlotillaEnv {}
  }
}
