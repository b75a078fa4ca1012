// A Karmada policy written to a cluster that is not a federation propagates nothing. The write
// succeeds (the object is valid), and kubectl prints this warning, so the user learns why.
import { withWarnings } from "./api-server/respond.ts";

const HINT =
  "this cluster is not a federation, so its policies propagate nothing; create one with `flotilla cluster create NAME --federation`";

export function federationHint(request: Request, response: Response, clusterType: string | undefined): Response {
  if (request.method === "GET" || request.method === "DELETE" || !response.ok) return response;
  return clusterType === "Standard" ? withWarnings(response, [HINT]) : response;
}
