import { describe, expect, it } from 'vitest';
import { hasParamReference, parseDurationMillis } from './duration.js';

describe('parseDurationMillis', () => {
  it.each([
    ['20 minutes', 1_200_000],
    ['2h', 7_200_000],
    ['1 day 3 hours', 97_200_000],
    ['2 hours, 5 mins', 7_500_000],
    ['100s', 100_000],
    ['30s', 30_000],
    ['3600', 3_600_000],
    ['1.5 hours', 5_400_000],
  ])('%s is %d ms', (text, ms) => expect(parseDurationMillis(text)).toBe(ms));

  it.each(['', 'soon', '5 fortnights', '10 minutes later', 'h5'])('%j is not a duration', (text) =>
    expect(parseDurationMillis(text)).toBeUndefined(),
  );
});

describe('hasParamReference', () => {
  it('sees $x and ${x} but not $$ escapes', () => {
    expect(hasParamReference('${base_timeout}')).toBe(true);
    expect(hasParamReference('$retries')).toBe(true);
    expect(hasParamReference('$$literal')).toBe(false);
    expect(hasParamReference('10 minutes')).toBe(false);
  });
});
