/** The key path of a YAML node, from the ancestry `visit` passes (document, maps, pairs and sequences). */
import { isPair, isScalar, isSeq } from "yaml";
import type { PathSegment } from "./path.js";

export function yamlPathOf(ancestry: readonly unknown[], node: unknown): PathSegment[] {
  const path: PathSegment[] = [];
  const chain = [...ancestry, node];
  for (let i = 0; i < chain.length - 1; i++) {
    const parent = chain[i];
    const child = chain[i + 1];
    if (isPair(parent) && isScalar(parent.key)) path.push(String(parent.key.value));
    if (isSeq(parent)) path.push(parent.items.indexOf(child));
  }
  return path;
}
