// Content negotiation for reads: kubectl asks for server-side Tables, some clients for
// PartialObjectMetadata; everything else is plain JSON.

export type ResponseShape = "object" | "Table" | "PartialObjectMetadata";

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string): MediaRange[] {
  return header.split(",").map((part) => {
    const [type, ...params] = part.split(";").map((s) => s.trim());
    const parsed: Record<string, string> = {};
    for (const param of params) {
      const eq = param.indexOf("=");
      if (eq > 0) parsed[param.slice(0, eq).trim()] = param.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params: parsed };
  });
}

/** The first acceptable shape in the client's order of preference. */
export function negotiateShape(accept: string | null): ResponseShape {
  if (!accept) return "object";
  for (const range of parseAccept(accept)) {
    const as = range.params.as;
    if (as === undefined) {
      if (range.type === "application/json" || range.type === "*/*" || range.type === "application/*") return "object";
      continue;
    }
    if (range.params.g !== "meta.k8s.io") continue;
    if (as === "Table") return "Table";
    if (as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") return "PartialObjectMetadata";
  }
  return "object";
}
