// The examples in docs/sel.md, so the user documentation cannot drift from the implementation.
import { describe, expect, it } from 'vitest';
import { failure, show } from './test-helpers.js';

describe('docs/sel.md examples', () => {
  it('programs and results', () => {
    expect(show('x = 10; x += 5;')).toBe('LONG: 15');
    expect(show('int y = 1;')).toBe('VOID: VOID');
    expect(show("x = 15; if (x > 1) { return 'big'; } else { return 'small'; }")).toBe('STRING: big');
  });

  it('loops and throw', () => {
    expect(show('x = 0; for (i = 0; i < 10; i += 1) { if (i % 2 == 0) continue; x += i; } return x;')).toBe(
      'LONG: 25',
    );
    const src =
      "for (int i = 0; i < names.length; i += 1) { if (names[i].isEmpty()) { throw i + '-th name is empty'; } } return String.join(',', names);";
    expect(show(src, { variables: { names: ['a', 'b'] } })).toBe('STRING: a,b');
    expect(failure(src, { variables: { names: ['a', ''] } }).message).toBe('1-th name is empty');
  });

  it('dates', () => {
    const d = "DateTime d = new DateTime(2021, 3, 13, 12, 0, DateTimeZone.forID('America/Los_Angeles'));";
    expect(show(`${d} d.plusDays(1);`)).toBe('DATETIME: 2021-03-14T12:00:00.000-07:00');
    expect(show(`${d} d.plusHours(24);`)).toBe('DATETIME: 2021-03-14T13:00:00.000-07:00');
    expect(show(`${d} d.toString('yyyy-MM-dd HH:mm Z');`)).toBe('STRING: 2021-03-13 12:00 -0800');
    expect(show("Days.daysBetween(new DateTime('2020-02-01'), new DateTime('2020-03-01')).getDays();")).toBe(
      'LONG: 29',
    );
    expect(show('return Util.dateIntsBetween(20210104, 20210201, 7);')).toBe(
      'LONG_ARRAY: [20210104, 20210111, 20210118, 20210125]',
    );
    expect(show('Util.dateIntsBetween(20200303, 20200226, -1);')).toBe(
      'LONG_ARRAY: [20200302, 20200301, 20200229, 20200228, 20200227, 20200226]',
    );
    expect(show('Util.intsBetween(5, 1, -2);')).toBe('LONG_ARRAY: [5, 3]');
  });

  it('operators', () => {
    expect(show("'a' + 1 + 2;")).toBe('STRING: a12');
    expect(show("1 + 2 + 'a';")).toBe('STRING: 3a');
    expect(show("'ab' == 'a' + 'b';")).toBe('BOOLEAN: true');
    expect(show('x = null; x != null ? x.length() > 0 : false;')).toBe('BOOLEAN: false');
    expect(failure('d = 1.5; d += 1;').selCode).toBe('TYPE_MISMATCH');
    expect(show('d = 1.5; d += 1.0;')).toBe('DOUBLE: 2.5');
  });
});
