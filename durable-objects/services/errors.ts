import { invalid } from "../../api/errors.ts";

/** A requested node port another Service holds: kube's 422 "provided port is already allocated". */
export const portAlreadyAllocated = (port: number) =>
  invalid("Service", "", "", [
    {
      field: "spec.ports[0].nodePort",
      type: "FieldValueInvalid",
      message: `Invalid value: ${port}: provided port is already allocated`,
    },
  ]);
