// GET /version. kubectl warns when client and server are more than one minor apart,
// so advertising 1.33 keeps kubectl 1.32 and 1.33 quiet.
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export const KUBE_MAJOR = "1";
export const KUBE_MINOR = "33";
export const KUBE_GIT_VERSION = `v${KUBE_MAJOR}.${KUBE_MINOR}.0`;

export const versionInfo = (): VersionInfo => ({
  major: KUBE_MAJOR,
  minor: KUBE_MINOR,
  gitVersion: `${KUBE_GIT_VERSION}-flotilla`,
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2025-01-01T00:00:00Z",
  goVersion: "go1.24.0",
  compiler: "gc",
  platform: "linux/amd64",
});
