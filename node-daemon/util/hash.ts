// Short stable hashes for names the kernel limits in length (interfaces, namespaces).
import { createHash } from "node:crypto";

export const shortHash = (text: string, length = 8) => createHash("sha256").update(text).digest("hex").slice(0, length);
