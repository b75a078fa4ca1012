#!/usr/bin/env node
// The `flotilla` command. Node ≥ 22 runs the TypeScript sources directly (type stripping).
import "./main.ts";
