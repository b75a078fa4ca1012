// authorization.k8s.io and authentication.k8s.io self reviews (`kubectl auth can-i`, `auth whoami`):
// answered here from the request's credential, never stored.
import { Hono, type Context } from "hono";
import {
  AUTHENTICATION_GROUP,
  AUTHORIZATION_GROUP,
  selfSubjectAccessReview,
  selfSubjectReview,
  selfSubjectRulesReview,
  type Asker,
} from "../../api/authz/self-reviews.ts";
import type { KubeObject } from "../../api/types.ts";
import { readBody } from "../../durable-objects/api-server/body.ts";
import { askerOf } from "../authz.ts";
import type { WorkerEnv } from "../context.ts";

type Review = (body: unknown, asker: Asker) => KubeObject;

// kubectl 1.32+ sends these as protobuf, older clients as JSON.
const answer = (review: Review) => async (c: Context<WorkerEnv>) => {
  const { value } = await readBody(c.req.raw, ["json", "yaml", "protobuf"]);
  return new Response(JSON.stringify(review(value, askerOf(c.get("credential")))), {
    status: 201,
    headers: { "content-type": "application/json" },
  });
};

export const selfReviewRoutes = new Hono<WorkerEnv>()
  .post(`/apis/${AUTHORIZATION_GROUP}/v1/selfsubjectaccessreviews`, answer(selfSubjectAccessReview))
  .post(`/apis/${AUTHORIZATION_GROUP}/v1/selfsubjectrulesreviews`, answer(selfSubjectRulesReview))
  .post(`/apis/${AUTHENTICATION_GROUP}/v1/selfsubjectreviews`, answer(selfSubjectReview));
