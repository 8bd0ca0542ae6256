// Random SEL programs and inputs: every run must end, within the limits, in a value or a SelError. Nothing else
// may escape (no TypeError from the interpreter, no JS stack overflow, no hang).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateSel, parseSel, SelError, toJson, type SelLimits } from '../../src/sel/index.js';

const LIMITS: Partial<SelLimits> = {
  stack: 40,
  loop: 20,
  array: 40,
  visit: 600,
  memory: 200_000,
  length: 2000,
  timeMs: 2000,
};
const clock = { now: () => 1_600_000_000_000 };

function runs(source: string, variables: Record<string, unknown>): void {
  try {
    const program = parseSel(source, { limits: LIMITS });
    const result = evaluateSel(program, {
      variables: variables as never,
      limits: LIMITS,
      clock,
      random: () => 0.5,
    });
    toJson(result);
  } catch (err) {
    if (!(err instanceof SelError))
      throw new Error(`non-SelError for ${JSON.stringify(source)}: ${String(err)}`, { cause: err });
  }
}

const names = fc.constantFrom(
  'x',
  'y',
  's',
  'm',
  'a',
  'i',
  'params',
  'Util',
  'String',
  'Math',
  'DateTime',
  'this',
  'constructor',
  '__proto__',
);
const literal = fc.oneof(
  fc.integer({ min: -5, max: 30 }).map(String),
  fc.constantFrom(
    '9223372036854775807',
    '0',
    '1.5',
    '-0.0',
    '1e308',
    "'abc'",
    "''",
    '"x,y"',
    'true',
    'false',
    'null',
    '3L',
    '2.5f',
  ),
);
const method = fc.constantFrom(
  'length()',
  'toUpperCase()',
  'split(",")',
  'substring(1)',
  'get("k")',
  'put("k", 1)',
  'size()',
  'containsKey("x")',
  'intValue()',
  'toString()',
  'getYear()',
  'plusDays(1)',
  'isEmpty()',
  'getClass()',
  'replaceAll("a+", "b")',
  'length',
);
const staticCall = fc.constantFrom(
  'Util.dateIntsBetween(20200101, 20200110, 2)',
  'Util.intsBetween(0, 5, 1)',
  'Util.incrementDateInt(20200228, 1)',
  'Math.max(1, 2)',
  'Math.pow(2, 10)',
  'String.format("%s-%05d", "a", 7)',
  'String.join(",", "a", "b")',
  'new DateTime(0).withZone(DateTimeZone.forID("America/New_York")).toString("yyyy-MM-dd HH:mm Z")',
  'DateTimeFormat.forPattern("yyyyMMdd").parseDateTime("20200229")',
  'params.get("x")',
  'params["s"]',
  'new HashMap()',
  'new long[3]',
  'new String[]{"a", null}',
  'Long.valueOf("12")',
  'Double.parseDouble("1e3")',
  'UUID.randomUUID().toString()',
  'System.currentTimeMillis()',
  'Days.daysBetween(new DateTime(0), new DateTime())',
);

const expr: fc.Memo<string> = fc.memo((depth) =>
  depth <= 1
    ? fc.oneof(literal, names, staticCall)
    : fc.oneof(
        literal,
        names,
        staticCall,
        fc
          .tuple(
            expr(depth - 1),
            fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '>=', '&&', '||'),
            expr(depth - 1),
          )
          .map(([l, op, r]) => `(${l} ${op} ${r})`),
        fc.tuple(expr(depth - 1), method).map(([e, m]) => `${e}.${m}`),
        fc.tuple(expr(depth - 1), expr(depth - 1)).map(([e, i]) => `${e}[${i}]`),
        fc
          .tuple(expr(depth - 1), expr(depth - 1), expr(depth - 1))
          .map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
        expr(depth - 1).map((e) => `!${e}`),
        expr(depth - 1).map((e) => `-${e}`),
      ),
);

const statement: fc.Memo<string> = fc.memo((depth) => {
  const e = expr(2);
  const simple = fc.oneof(
    fc
      .tuple(names, fc.constantFrom('=', '+=', '-=', '*=', '/=', '%='), e)
      .map(([n, op, v]) => `${n} ${op} ${v};`),
    fc
      .tuple(
        fc.constantFrom('int', 'long', 'double', 'String', 'boolean', 'Map', 'int[]', 'DateTime'),
        fc.constantFrom('x', 'y', 'z'),
        e,
      )
      .map(([t, n, v]) => `${t} ${n} = ${v};`),
    e.map((v) => `${v};`),
    e.map((v) => `return ${v};`),
    e.map((v) => `throw ${v};`),
    fc.constantFrom(
      'break;',
      'continue;',
      ';',
      'a = new long[]{1, 2, 3}; a[1] = 5;',
      "m = new Map(); m.put('self', m);",
    ),
  );
  if (depth <= 1) return simple;
  return fc.oneof(
    simple,
    fc
      .tuple(e, statement(depth - 1), statement(depth - 1))
      .map(([c, a, b]) => `if (${c}) { ${a} } else { ${b} }`),
    fc.tuple(e, statement(depth - 1)).map(([c, b]) => `while (${c}) { ${b} }`),
    fc
      .tuple(fc.integer({ min: 0, max: 25 }), statement(depth - 1))
      .map(([n, b]) => `for (i = 0; i < ${n}; i += 1) { ${b} }`),
    statement(depth - 1).map((b) => `for (;;) { ${b} }`),
  );
});

const program = fc.array(statement(2), { minLength: 1, maxLength: 3 }).map((ss) => ss.join(' '));
const variables = fc.record({
  x: fc.oneof(fc.integer(), fc.double({ noNaN: false }), fc.string({ maxLength: 5 }), fc.constant(null)),
  s: fc.string({ maxLength: 8 }),
  m: fc.dictionary(
    fc.constantFrom('k', 'a', '__proto__', 'constructor'),
    fc.oneof(fc.integer(), fc.string({ maxLength: 3 })),
  ),
  a: fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 4 }),
});

// Token soup exercises the lexer and parser with inputs no grammar would produce.
const TOKENS = [
  'x',
  '1',
  '1.5',
  "'s'",
  '"t',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ';',
  ',',
  '.',
  '?',
  ':',
  '+',
  '-',
  '*',
  '/',
  '%',
  '=',
  '==',
  '!',
  '&&',
  '||',
  '<',
  '>=',
  'if',
  'else',
  'for',
  'while',
  'new',
  'return',
  'throw',
  'int',
  'String',
  'params',
  '//',
  '/*',
  '*/',
  '\\',
  '0x1F',
  '99999999999999999999',
  'L',
  '\n',
];
const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((ts) => ts.join(' '));

describe('SEL never escapes its sandbox on random input', () => {
  it('structured programs (60,000 runs) end in a value or a SelError', () => {
    fc.assert(
      fc.property(program, variables, (src, vars) => runs(src, vars)),
      { numRuns: 60_000 },
    );
  }, 120_000);

  it('token soup (40,000 runs) ends in a value or a SelError', () => {
    fc.assert(
      fc.property(soup, (src) => runs(src, {})),
      { numRuns: 40_000 },
    );
  }, 120_000);

  it('deeply nested input is a SelError, not a JS stack overflow', () => {
    for (const src of [
      '('.repeat(5000) + '1' + ')'.repeat(5000) + ';',
      '-'.repeat(9000) + '1;',
      'x' + '.a'.repeat(4000) + ';',
      '1' + '+1'.repeat(4000) + ';',
      '{'.repeat(4000) + '}'.repeat(4000),
    ]) {
      expect(() => evaluateSel(parseSel(src), {})).toThrow(SelError);
    }
  });
});
