// Finds what a container's command runs on the host. Images are not unpacked in the process
// runtime: the command must exist on the host, or be a BusyBox applet when BusyBox is installed
// (so manifests written for a busybox image run unchanged).
import { accessSync, constants, existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ContainerStartError } from "../types.ts";

export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

export interface BusyBox {
  path: string;
  applets: Set<string>;
  /** A directory of applet links for commands the host lacks (appended to containers' PATH). */
  binDir?: string;
}

export function findBusyBox(): BusyBox | undefined {
  for (const dir of DEFAULT_PATH.split(":")) {
    const path = join(dir, "busybox");
    if (!isExecutable(path)) continue;
    const listed = spawnSync(path, ["--list"], { encoding: "utf8" });
    if (listed.status !== 0) continue;
    return { path, applets: new Set(listed.stdout.split("\n").filter(Boolean)) };
  }
  return undefined;
}

/** The argv to run: the command found on the container's PATH, or `busybox <applet>`. */
export function resolveCommand(argv: string[], pathEnv: string, busybox: BusyBox | undefined): string[] {
  const [first, ...rest] = argv;
  if (first === undefined || first === "")
    throw new ContainerStartError(
      "the process runtime has no image to take a command from: set the container's command or args",
      "CreateContainerError",
    );
  if (first.includes("/")) {
    if (!existsSync(first))
      throw new ContainerStartError(`exec: "${first}": stat ${first}: no such file or directory`, "StartError");
    return argv;
  }
  for (const dir of pathEnv.split(":").filter(Boolean)) {
    const candidate = join(dir, first);
    if (isExecutable(candidate)) return [candidate, ...rest];
  }
  if (busybox?.applets.has(first)) return [busybox.path, first, ...rest];
  throw new ContainerStartError(`exec: "${first}": executable file not found in $PATH`, "StartError");
}

const onHost = (name: string) => DEFAULT_PATH.split(":").some((dir) => isExecutable(join(dir, name)));

/** Links every applet the host has no command for into `dir`, so shell scripts find them too. */
export function linkApplets(busybox: BusyBox, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const present = new Set(readdirSync(dir));
  for (const applet of busybox.applets) {
    if (applet === "busybox" || present.has(applet) || onHost(applet)) continue;
    symlinkSync(busybox.path, join(dir, applet));
  }
  for (const name of present) if (!busybox.applets.has(name)) rmSync(join(dir, name), { force: true });
  busybox.binDir = dir;
}
