// Discovery documents, all pure functions of the served resource definitions.
export { versionInfo, type VersionInfo, KUBE_GIT_VERSION, KUBE_MAJOR, KUBE_MINOR } from "./version.ts";
export {
  coreApiVersions,
  apiGroupList,
  apiGroup,
  groupVersions,
  type APIGroup,
  type APIGroupList,
  type APIVersions,
  type GroupVersions,
} from "./groups.ts";
export { apiResourceList, storageVersionHash, type APIResource, type APIResourceList } from "./resources.ts";
export { subresourcesOf, type GroupVersionKind, type SubresourceInfo } from "./subresources.ts";
export {
  aggregatedDiscovery,
  type APIGroupDiscoveryList,
  type APIResourceDiscovery,
  type DiscoveryVersion,
} from "./aggregated.ts";
export { negotiateDiscovery, aggregatedContentType, type DiscoveryNegotiation } from "./negotiate.ts";
export { parseAccept, type MediaRange } from "./accept.ts";
export { compareKubeVersions } from "./versions.ts";
