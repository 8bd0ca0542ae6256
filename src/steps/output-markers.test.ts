import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAESTRO_OUTPUT_END as END, MAESTRO_OUTPUT_START as START, MarkerScanner } from './output-markers.js';

function scan(chunks: readonly string[], maxBlockChars = 1000) {
  const scanner = new MarkerScanner(maxBlockChars);
  for (const chunk of chunks) scanner.push(chunk);
  return scanner.finish();
}

describe('MarkerScanner', () => {
  it('finds nothing in plain output', () => {
    expect(scan(['hello\n', 'MAESTRO_OUTPUT', '_START without the token suffix\n'])).toEqual({
      kind: 'none',
    });
  });

  it('finds a block in one chunk', () => {
    expect(scan([`log\n${START}{"a":1}${END}\nmore`])).toEqual({
      kind: 'block',
      text: '{"a":1}',
      ordinal: 1,
    });
  });

  it('keeps the last complete block, as Maestro does', () => {
    const result = scan([`${START}{"a":1}${END}\n`, `${START}{"a":2}${END}\n`]);
    expect(result).toEqual({ kind: 'block', text: '{"a":2}', ordinal: 2 });
  });

  it('reports a block that never ends', () => {
    const result = scan([`${START}{"a":1}${END}`, `${START}{"a":`]);
    expect(result).toMatchObject({ kind: 'error', message: expect.stringContaining('output block 2') });
  });

  it('reports an oversized block without keeping it', () => {
    expect(scan([START, 'x'.repeat(600), 'y'.repeat(600), END], 1000)).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('larger than 1000 characters'),
    });
    expect(scan([`${START}${'x'.repeat(1001)}${END}`], 1000)).toMatchObject({ kind: 'error' });
  });

  it('finds the same block however the stream is cut into chunks', () => {
    const text = `noise ${START.slice(0, 5)} ${START}{"k":"v ${END.slice(0, 7)}"}${END} tail ${START.slice(0, 9)}`;
    fc.assert(
      fc.property(fc.array(fc.nat(text.length), { maxLength: 12 }), (cuts) => {
        const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), text.length];
        const chunks = points.slice(1).map((end, i) => text.slice(points[i], end));
        expect(scan(chunks)).toEqual({ kind: 'block', text: `{"k":"v ${END.slice(0, 7)}"}`, ordinal: 1 });
      }),
    );
  });
});
