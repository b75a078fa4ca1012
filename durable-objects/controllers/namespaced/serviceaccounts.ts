// Every namespace has a `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap
// (kube-controller-manager's serviceaccount and root-ca-cert-publisher loops); both come back
// if deleted, and the ConfigMap's data is put back if edited.
//
// The CA bundle is a PLACEHOLDER: a self-signed certificate ("flotilla-placeholder-ca",
// private key discarded) that parses as PEM but verifies nothing. A real bundle would come
// from the deployment's TLS configuration.
import { deepEqual } from "../../../api/lifecycle/object-meta.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";

export const ROOT_CA_CONFIGMAP = "kube-root-ca.crt";
const DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the " +
  "internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

export const PLACEHOLDER_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBrDCCAVGgAwIBAgIUWgQhtC4sX1BK/Eu1EUTYrVLGQLQwCgYIKoZIzj0EAwIw
IjEgMB4GA1UEAwwXZmxvdGlsbGEtcGxhY2Vob2xkZXItY2EwIBcNMjYxMTI1MjMy
NzIxWhgPMjEyNjExMDEyMzI3MjFaMCIxIDAeBgNVBAMMF2Zsb3RpbGxhLXBsYWNl
aG9sZGVyLWNhMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEPCplszXlSgH7r3Wc
EpvitPCKscsxobV3rjNeyViX5m0YHzBWN98lG1WF3J5G5TX+4Zf33RngVVrwYI0Z
7vaFJqNjMGEwHQYDVR0OBBYEFBTmmZVc26O7cb+CiujZQpjEAOlPMB8GA1UdIwQY
MBaAFBTmmZVc26O7cb+CiujZQpjEAOlPMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0P
AQH/BAQDAgEGMAoGCCqGSM49BAMCA0kAMEYCIQDtaakN3P+gTICNTsBYcUz+RBf7
vMAbrlA8fWkUZhPcTgIhAJasczyjl1pUWDeFVVyAyIH1EnJAcuZEJi9Nlk1P0X7Y
-----END CERTIFICATE-----
`;

const KEY = "default";
const rootCAData = () => ({ "ca.crt": PLACEHOLDER_CA_PEM });

/** A namespace being deleted must be allowed to empty: nothing is recreated in it. */
async function namespaceIsActive(ctx: ControllerContext): Promise<boolean> {
  const ns = await ctx.clusterReader.getClusterObject("namespaces", ctx.namespace);
  if (!ns || ns.metadata.deletionTimestamp) return false;
  return (ns.status as { phase?: string } | undefined)?.phase !== "Terminating";
}

export class ServiceAccountsController implements Controller {
  readonly name = "serviceaccount-controller";

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === "serviceaccounts" && change.name === "default" && change.type === "DELETED") return [KEY];
    if (change.resource === "configmaps" && change.name === ROOT_CA_CONFIGMAP && !this.isCurrent(change)) return [KEY];
    return [];
  }

  private isCurrent(change: ChangeNotice): boolean {
    return change.type !== "DELETED" && deepEqual(change.object.data, rootCAData());
  }

  initialKeys(): string[] {
    return [KEY];
  }

  async reconcile(_key: string, ctx: ControllerContext): Promise<void> {
    if (!(await namespaceIsActive(ctx))) return;
    // Re-read after the await: the namespace's objects may have changed meanwhile.
    const objects = ctx.objects;
    if (!objects.get("serviceaccounts", "default")) {
      objects.create("serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } });
    }
    const configMap = objects.get("configmaps", ROOT_CA_CONFIGMAP);
    if (!configMap) {
      const body: KubeObject = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: ROOT_CA_CONFIGMAP, annotations: { "kubernetes.io/description": DESCRIPTION } },
        data: rootCAData(),
      };
      objects.create("configmaps", body);
    } else if (!deepEqual(configMap.data, rootCAData())) {
      objects.update("configmaps", { ...configMap, data: rootCAData() });
    }
  }
}
