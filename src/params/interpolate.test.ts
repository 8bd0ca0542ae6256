import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParamError } from './errors.js';
import { interpolate, interpolationReferences } from './interpolate.js';
import type { ParamValue } from './types.js';

const values: Record<string, ParamValue> = {
  foo: 'bar',
  n: 15n,
  'job.2__param1': 'x',
  list: ['a', 'b'],
  map: { k: 'v' },
  job1__sleep_seconds: 15n,
};
const lookup = (name: string): ParamValue | undefined =>
  Object.hasOwn(values, name) ? values[name] : undefined;
const run = (text: string) => interpolate(text, lookup, 'p');

describe('interpolation', () => {
  it('replaces $name and ${name}', () => {
    expect(run('$foo-${n}s')).toBe('bar-15s');
    expect(run('${job1__sleep_seconds} + 1')).toBe('15 + 1');
    expect(run('v=${job.2__param1}')).toBe('v=x');
    expect(run('$foo.txt')).toBe('bar.txt'); // `$name` stops at '.'
  });

  it('interpolates arrays and maps as JSON', () => {
    expect(run('$list / ${map}')).toBe('["a","b"] / {"k":"v"}');
  });

  it('escapes: $$ is $, $$name is a literal $name, $${x} is ${x}', () => {
    expect(run('cost: $$5')).toBe('cost: $5');
    expect(run('$$foo')).toBe('$foo');
    expect(run('$${foo}')).toBe('${foo}');
    expect(run('$$$foo')).toBe('$bar');
    expect(run('echo $$MAESTRO_OUTPUT_START$1$$MAESTRO_OUTPUT_END')).toBe(
      'echo $MAESTRO_OUTPUT_START$1$MAESTRO_OUTPUT_END',
    );
  });

  it('leaves a $ that starts no reference alone', () => {
    expect(run('$1 and $ and ${1x} and ${unclosed')).toBe('$1 and $ and ${1x} and ${unclosed');
  });

  it('lists references, skipping escaped ones', () => {
    expect(interpolationReferences('$a ${b.c} $$d $${e} $a')).toEqual(['a', 'b.c']);
  });

  it('fails naming the missing param', () => {
    expect(() => run('x ${missing} y')).toThrow(ParamError);
    expect(() => run('x ${missing} y')).toThrow(/param 'p' refers to 'missing'/);
  });
});

describe('interpolation properties', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', '$', '{', '}', '.', '_', '1', ' ', 'f', 'o') });

  it('gives back any text whose every $ is escaped as $$', () => {
    fc.assert(fc.property(text, (t) => interpolate(t.replaceAll('$', '$$$$'), () => undefined, 'p') === t));
  });

  it('never throws for text without references and finds a reference for every name it replaces', () => {
    fc.assert(
      fc.property(text, (t) => {
        const refs = interpolationReferences(t);
        const out = interpolate(t, (name) => (refs.includes(name) ? `<${name}>` : undefined), 'p');
        return refs.every((r) => out.includes(`<${r}>`));
      }),
    );
  });
});
