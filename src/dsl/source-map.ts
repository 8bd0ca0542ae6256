import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { JsonPath, SourcePosition } from '../model/issue.js';

/**
 * Maps JSON paths of a parsed YAML or JSON document back to line and column. A path that does not exist in the
 * source (a default filled in, a shorthand expanded) falls back to its nearest ancestor that does.
 */
export function sourceLocator(doc: Document.Parsed, lineCounter: LineCounter) {
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: col };
  };
  return (path: JsonPath, pointAtKey = false): SourcePosition | undefined => {
    let node: unknown = doc.contents;
    let best: SourcePosition | undefined = rangeStart(node, at);
    for (const [i, segment] of path.entries()) {
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
        );
        if (!pair) return best;
        if (last && pointAtKey) return rangeStart(pair.key, at) ?? best;
        node = pair.value;
        best = rangeStart(node, at) ?? rangeStart(pair.key, at) ?? best;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        if (node === undefined) return best;
        best = rangeStart(node, at) ?? best;
      } else {
        return best;
      }
    }
    return best;
  };
}

function rangeStart(node: unknown, at: (offset: number) => SourcePosition): SourcePosition | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? at(range[0]) : undefined;
}

/** Offset in `text` → 1-based line and column (the YAML LineCounter's numbering), by binary search. */
export function offsetPositions(text: string): (offset: number) => SourcePosition {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x0a) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}
