// Writes a volume's files the way kubelet's atomic writer does, so readers never see half an
// update: the files live in a timestamped directory, `..data` points at it, and each top-level
// name is a symlink through `..data`. An update writes a new directory and swaps `..data` with
// one rename.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";

export interface FileEntry {
  data: Buffer;
  mode: number;
}

const DATA = "..data";

function timestampDir(now: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return (
    `..${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_` +
    `${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}.` +
    `${pad(now.getUTCMilliseconds(), 3)}${String(process.hrtime.bigint() % 1_000_000n).padStart(6, "0")}`
  );
}

/** Paths must be relative, without `..` elements, and not start with `..` (kubelet's rules). */
export function validatePayloadPath(path: string): string | undefined {
  if (path === "") return "the path must not be empty";
  if (path.startsWith("/")) return `${path}: the path must be relative`;
  if (path.split("/").includes("..")) return `${path}: the path must not contain '..'`;
  if (path.startsWith("..")) return `${path}: the path must not start with '..'`;
  return undefined;
}

function sameAsCurrent(dir: string, payload: Map<string, FileEntry>): boolean {
  const current = join(dir, DATA);
  if (!existsSync(current)) return false;
  const files: string[] = [];
  const walk = (base: string, prefix: string) => {
    for (const name of readdirSync(base)) {
      const path = join(base, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else files.push(`${prefix}${name}`);
    }
  };
  walk(current, "");
  if (files.length !== payload.size) return false;
  for (const [path, entry] of payload) {
    const file = join(current, path);
    if (!existsSync(file)) return false;
    if (!readFileSync(file).equals(entry.data)) return false;
    if ((statSync(file).mode & 0o777) !== (entry.mode & 0o777)) return false;
  }
  return true;
}

/** Writes `payload` into `dir`; answers false when nothing changed. */
export function writeAtomically(dir: string, payload: Map<string, FileEntry>, now = new Date()): boolean {
  mkdirSync(dir, { recursive: true });
  if (sameAsCurrent(dir, payload)) return false;
  const fresh = timestampDir(now);
  const freshPath = join(dir, fresh);
  mkdirSync(freshPath, { mode: 0o755 });
  for (const [path, entry] of payload) {
    const target = join(freshPath, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entry.data, { mode: entry.mode });
  }
  const previous = existsSync(join(dir, DATA)) ? readlinkSync(join(dir, DATA)) : undefined;
  const temporary = join(dir, "..data_tmp");
  rmSync(temporary, { force: true });
  symlinkSync(fresh, temporary);
  renameSync(temporary, join(dir, DATA));

  const top = new Set([...payload.keys()].map((path) => path.split("/")[0]));
  for (const name of top) {
    const link = join(dir, name);
    if (existsSync(link) || isSymlink(link)) continue;
    symlinkSync(join(DATA, name), link);
  }
  for (const name of readdirSync(dir)) {
    if (name.startsWith("..") || top.has(name)) continue;
    if (isSymlink(join(dir, name))) rmSync(join(dir, name), { force: true });
  }
  if (previous && previous !== fresh) rmSync(join(dir, previous), { recursive: true, force: true });
  return true;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
