import { describe, expect, it } from "vitest";
import { invalid, notFound } from "../../api/errors.ts";

describe("StatusError", () => {
  it("renders NotFound as kubectl prints it", () => {
    const status = notFound({ group: "apps", resource: "deployments", name: "web" }).toStatus();
    expect(status).toMatchObject({ code: 404, reason: "NotFound", message: 'deployments.apps "web" not found' });
    expect(status.details).toEqual({ group: "apps", kind: "deployments", name: "web" });
  });

  it("renders Invalid with one cause per field", () => {
    const status = invalid("Pod", "", "x", [
      { field: "metadata.name", type: "FieldValueInvalid", message: 'Invalid value: "X": bad' },
    ]).toStatus();
    expect(status.code).toBe(422);
    expect(status.details?.causes).toEqual([
      { field: "metadata.name", reason: "FieldValueInvalid", message: 'Invalid value: "X": bad' },
    ]);
  });
});
