// docs/benchmarks.md holds one generated block per benchmark, between that benchmark's own
// markers; everything outside the markers is written by hand and left alone.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { projectRoot } from "../../cli/paths.ts";

export const BENCHMARKS_DOC = join(projectRoot, "docs", "benchmarks.md");

/** "Intel(R) Xeon(R) … (2 cores), 24 GiB": the machine a run's figures belong to. */
export const machineLine = () =>
  `${cpus()[0]?.model ?? "unknown cpu"} (${cpus().length} cores), ${Math.round(totalmem() / 2 ** 30)} GiB`;

/**
 * Puts `block` (which starts with `begin` and ends with `end`) in place of the text between those
 * markers, or appends it when they are missing; `fresh` is the document to start from if there is none.
 */
export function writeBlock(block: string, begin: string, end: string, fresh = "# Benchmarks\n"): void {
  const current = existsSync(BENCHMARKS_DOC) ? readFileSync(BENCHMARKS_DOC, "utf8") : fresh;
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : current.trimEnd() + "\n\n" + block + "\n";
  writeFileSync(BENCHMARKS_DOC, next);
  // Tables as prettier lays them out, so `npm test`'s format check passes after a --write.
  execFileSync(
    process.execPath,
    [join(projectRoot, "node_modules", "prettier", "bin", "prettier.cjs"), "--write", BENCHMARKS_DOC],
    {
      stdio: "ignore",
    },
  );
}
