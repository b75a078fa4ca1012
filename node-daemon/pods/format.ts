// Texts kubelet writes the way Go prints them.

/** Go's time.Duration String for whole seconds and above: 10s, 1m20s, 5m0s, 1h0m0s; below a second 250ms. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const secondsText = Number.isInteger(seconds) ? `${seconds}s` : `${seconds.toFixed(3).replace(/\.?0+$/, "")}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}

/** Whether an image reference names the `latest` tag (explicitly or by having none). */
export function isLatestTag(image: string): boolean {
  if (image.includes("@")) return false;
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon <= slash || image.slice(colon + 1) === "latest";
}

/** kubelet's default pull policy: Always for :latest (or no tag), IfNotPresent otherwise. */
export const defaultPullPolicy = (image: string) => (isLatestTag(image) ? "Always" : "IfNotPresent");
