import { describe, expect, it } from 'vitest';
import { failure, show } from './test-helpers.js';

const clock = { now: () => Date.UTC(2021, 2, 14, 9, 30) }; // 2021-03-14T09:30Z, the US spring-forward day

describe('Joda-compatible DateTime on real IANA zones', () => {
  it('prints ISO strings with the zone offset', () => {
    expect(show("new DateTime(0, DateTimeZone.forID('America/Los_Angeles'));")).toBe(
      'DATETIME: 1969-12-31T16:00:00.000-08:00',
    );
    expect(show("new DateTime('2021-07-01T12:00:00+02:00', DateTimeZone.UTC);")).toBe(
      'DATETIME: 2021-07-01T10:00:00.000Z',
    );
    expect(show("DateTime.parse('2021-07-01T12:00:00+02:00');")).toBe(
      'DATETIME: 2021-07-01T12:00:00.000+02:00',
    );
  });

  it('does calendar arithmetic across DST in local time, and hours in absolute time', () => {
    const la = "DateTimeZone.forID('America/Los_Angeles')";
    expect(show(`new DateTime(2021, 3, 13, 12, 0, ${la}).plusDays(1);`)).toBe(
      'DATETIME: 2021-03-14T12:00:00.000-07:00',
    );
    expect(show(`new DateTime(2021, 3, 13, 12, 0, ${la}).plusHours(24);`)).toBe(
      'DATETIME: 2021-03-14T13:00:00.000-07:00',
    );
    expect(show('new DateTime(2021, 1, 31, 0, 0, DateTimeZone.UTC).plusMonths(1);')).toBe(
      'DATETIME: 2021-02-28T00:00:00.000Z',
    );
  });

  it('adds days and weeks as fixed lengths where the zone has no DST, and keeps the range check', () => {
    expect(show('new DateTime(2020, 2, 28, 23, 0, DateTimeZone.UTC).plusDays(2).minusWeeks(1);')).toBe(
      'DATETIME: 2020-02-23T23:00:00.000Z',
    );
    expect(show("new DateTime(2021, 3, 13, 12, 0, DateTimeZone.forID('+05:30')).plusDays(1);")).toBe(
      'DATETIME: 2021-03-14T12:00:00.000+05:30',
    );
    expect(failure('new DateTime(8640000000000000, DateTimeZone.UTC).plusMillis(1);').message).toMatch(
      /range/,
    );
  });

  it('reads the injected clock for now', () => {
    expect(show("new DateTime().withZone(DateTimeZone.forID('US/Pacific')).getHourOfDay();", { clock })).toBe(
      'LONG: 1',
    );
    expect(show('System.currentTimeMillis();', { clock })).toBe(`LONG: ${clock.now()}`);
  });

  it('formats and parses Joda patterns', () => {
    const f = "DateTimeFormat.forPattern('EEE, d MMM yyyy HH:mm:ss Z')";
    expect(show(`${f}.withZone(DateTimeZone.forID('Asia/Kolkata')).print(0);`)).toBe(
      'STRING: Thu, 1 Jan 1970 05:30:00 +0530',
    );
    expect(
      show(
        "DateTimeFormat.forPattern('yyyy-MM-dd HH').withZone(DateTimeZone.UTC).parseMillis('2021-01-02 03');",
      ),
    ).toBe('LONG: 1609556400000');
    expect(failure("DateTimeFormat.forPattern('yyyyMMdd').parseDateTime('20210230');").selCode).toBe(
      'ILLEGAL_FIELD_VALUE',
    );
    expect(failure("DateTimeFormat.forPattern('yyyyMMdd').parseDateTime('202102');").message).toContain(
      'Invalid format',
    );
    expect(failure("DateTimeFormat.forPattern('yyyy-qq');").message).toContain(
      'Illegal pattern component: q',
    );
  });

  it('has properties, Days and DateTimeConstants', () => {
    expect(show('new DateTime(0, DateTimeZone.UTC).dayOfWeek().getAsText();')).toBe('STRING: Thursday');
    expect(show('new DateTime(0, DateTimeZone.UTC).monthOfYear().withMaximumValue().getMonthOfYear();')).toBe(
      'LONG: 12',
    );
    expect(show('new DateTime(0, DateTimeZone.UTC).getDayOfWeek() == DateTimeConstants.THURSDAY;')).toBe(
      'BOOLEAN: true',
    );
    expect(
      show(
        "Days.daysBetween(new DateTime('2020-02-01', DateTimeZone.UTC), new DateTime('2020-03-01', DateTimeZone.UTC)).getDays();",
      ),
    ).toBe('LONG: 29');
    expect(failure('new DateTime(0).withDayOfMonth(32);').message).toContain(
      'Value 32 for dayOfMonth must be in the range [1,31]',
    );
  });

  it('Util date helpers', () => {
    expect(show('Util.dateIntsBetween(20200226, 20200303, 1);')).toBe(
      'LONG_ARRAY: [20200226, 20200227, 20200228, 20200229, 20200301, 20200302]',
    );
    expect(show('Util.dateIntsBetween(20200303, 20200226, -2);')).toBe(
      'LONG_ARRAY: [20200301, 20200228, 20200226]',
    );
    expect(show("Util.dateIntHourToTs('20210707', '01', 'UTC', 0, 0);")).toBe('LONG: 1625619600000');
    expect(show("Util.dateIntHourToTs(20210707, 1, 'America/New_York', 1, 0);")).toBe('LONG: 1625547600000');
    expect(
      show("Util.timeoutForDateIntDeadline(20210314, '1 day, 2 hours and 30 minutes');", { clock }),
    ).toBe('STRING: 61200000 milliseconds');
    expect(show('Util.incrementDateInt(20201231, 1);')).toBe('STRING: 20210101');
  });
});
