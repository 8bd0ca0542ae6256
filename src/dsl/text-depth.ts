import { Parser, type CST } from 'yaml';

/**
 * Nesting depth of definition text, measured before a recursive parser sees it: the YAML composer and the JSON
 * parser descend one call per level, and a few thousand brackets (a 6 KB file) would run them out of stack, which
 * can take Node down rather than throw. Both scans here keep their own stack.
 */

/** Offset of the first `[` or `{` of JSON text that opens a level beyond `maxDepth`, or undefined. */
export function jsonTooDeepAt(text: string, maxDepth: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/**
 * Offset of the first YAML collection (block or flow) nested beyond `maxDepth`, or undefined. The token stream
 * of `yaml`'s own parser is read, so what counts as a level is what the composer will descend into; syntax errors
 * are left to the composer to report.
 */
export function yamlTooDeepAt(text: string, maxDepth: number): number | undefined {
  const stack: { token: CST.Token | undefined; depth: number }[] = [];
  for (const token of new Parser().parse(text)) stack.push({ token, depth: 0 });
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (token === undefined) continue;
    switch (token.type) {
      case 'document':
        stack.push({ token: token.value, depth });
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        if (depth + 1 > maxDepth) return token.type === 'flow-collection' ? token.start.offset : token.offset;
        for (const item of token.items) {
          stack.push({ token: item.key ?? undefined, depth: depth + 1 });
          stack.push({ token: item.value, depth: depth + 1 });
        }
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}
