// Kubernetes-style schema names: "io.k8s.api.apps.v1.Deployment" for built-in groups, the reversed
// group name for others ("com.example.stable.v1.CronTab"), as kube-apiserver names CRD schemas.

const PACKAGES: Record<string, string> = {
  "": "io.k8s.api.core",
  "apiextensions.k8s.io": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
  "apiregistration.k8s.io": "io.k8s.kube-aggregator.pkg.apis.apiregistration",
  "flowcontrol.apiserver.k8s.io": "io.k8s.api.flowcontrol",
  "internal.apiserver.k8s.io": "io.k8s.api.apiserverinternal",
  "rbac.authorization.k8s.io": "io.k8s.api.rbac",
};

const BUILTIN_SUFFIX = ".k8s.io";

/** Package prefix (without the version) holding a group's types. */
export const groupPackage = (group: string): string => {
  const known = PACKAGES[group];
  if (known !== undefined) return known;
  if (!group.includes(".")) return `io.k8s.api.${group}`; // apps, batch, autoscaling, policy
  if (group.endsWith(BUILTIN_SUFFIX) && group.split(".").length === 3) return `io.k8s.api.${group.split(".")[0]}`;
  return group.split(".").reverse().join(".");
};

export const schemaName = (group: string, version: string, kind: string): string =>
  `${groupPackage(group)}.${version}.${kind}`;

export const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
export const OBJECT_META = `${META}.ObjectMeta`;
export const LIST_META = `${META}.ListMeta`;
export const STATUS = `${META}.Status`;
export const DELETE_OPTIONS = `${META}.DeleteOptions`;
export const PATCH = `${META}.Patch`;
export const WATCH_EVENT = `${META}.WatchEvent`;
