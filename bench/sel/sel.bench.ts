// SEL evaluation throughput: each expression is parsed once and evaluated many times, which is how the params
// layer uses it. Run with `npx vitest bench --run bench/sel`; results and the machine are in bench/sel/README.md.
import { bench, describe } from 'vitest';
import { evaluateSel, parseSel } from '../../src/sel/index.js';

const plusOne = parseSel('x + 1;');
const plusOneVars = { x: 41 };
const dateInts = parseSel('Util.dateIntsBetween(20200101, 20201231, 1);');
const quarter = parseSel(
  "DateTime dt = new DateTime(1600000000000L).withZone(DateTimeZone.forID('US/Pacific'));" +
    "return String.format('Q%s-%s', ((dt.getMonthOfYear() - 1) / 3) + 1, dt.getYear());",
);
const loop = parseSel('s = 0; for (i = 0; i < 1000; i += 1) { s += i; } return s;');

describe('SEL evaluations per second (parsed once)', () => {
  bench('x + 1', () => {
    evaluateSel(plusOne, { variables: plusOneVars });
  });
  bench('Util.dateIntsBetween(20200101, 20201231, 1)', () => {
    evaluateSel(dateInts, {});
  });
  bench("DateTime in 'US/Pacific' + String.format (Maestro's doc example)", () => {
    evaluateSel(quarter, {});
  });
  bench('for loop, 1000 iterations', () => {
    evaluateSel(loop, {});
  });
});

describe('SEL parse', () => {
  bench('parse a 3-statement expression', () => {
    parseSel("int y = x * 2; if (y > 10) { return 'big'; } return 'small';");
  });
});
