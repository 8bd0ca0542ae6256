import { it } from 'vitest';
import { parseSel, evaluateSel, display, typeOf, SelError } from '/work/main/src/sel/index.js';
const show = (src: string, vars: Record<string, unknown> = {}) => {
  try {
    const r = evaluateSel(parseSel(src), { variables: vars as never, clock: { now: () => 12345 } });
    return `${typeOf(r)}: ${display(r)}`;
  } catch (e) {
    return e instanceof SelError
      ? `ERR ${e.selCode} ${e.message} @${e.line}:${e.column}`
      : `CRASH ${String(e)}`;
  }
};
it('peek', () => {
  for (const s of [
    "x = 1; x + 'a';",
    '9223372036854775807 + 1;',
    '1.0E10 + 0.0;',
    '0.00001 + 0.0;',
    "String.format('%05.2f|%-4d|%x', 3.14159, 42, 255);",
    "'a,b,,c,,'.split(',');",
    "new DateTime(0).withZone(DateTimeZone.forID('America/Los_Angeles'));",
    "DateTimeFormat.forPattern('yyyy-MM-dd HH:mm z Z ZZ EEE MMM').withZone(DateTimeZone.forID('America/Los_Angeles')).print(0);",
    'Util.dateIntsBetween(20200101, 20201231, 1).length;',
    "x = 'a'; if (x == 'a') { return 1; } else { return 2; }",
    '1 / 0;',
    "m = new HashMap(); m.put('self', m); '' + m;",
    'Util.toJson(1.5);',
    'a = this; a;',
    'constructor.prototype;',
    "'x'.constructor;",
    'params.__proto__;',
    "params['__proto__'];",
    'Util.intsBetween(1, 0, 0);',
    'x = 1; x = 1.5;',
    'int i = 0; for (int j = 0; j < 3; j += 1) { i += j; } i;',
    'throw 42;',
    "'abc' + null;",
  ])
    console.log(s, ' => ', show(s, { y: 1 }));
});
