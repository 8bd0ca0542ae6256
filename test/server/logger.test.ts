import { afterEach, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/server/app.js';
import { loggerOptions, readLogLevel } from '../../src/server/logger.js';
import { openApi, type ApiHarness } from './api-harness.js';

let api: ApiHarness | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('the server log', () => {
  it('is JSON lines with a level, without the authorization header or any token', async () => {
    api = await openApi();
    const lines: string[] = [];
    const app = await buildApi(
      { engine: api.baton.engine, store: api.baton.store, clock: api.baton.clock },
      { logger: loggerOptions('info', { write: (line) => void lines.push(line) }) },
    );
    try {
      const answer = await app.inject({
        url: '/api/v3/workflows/nope/instances/1',
        headers: { authorization: 'Bearer s3cret-header' },
      });
      expect(answer.statusCode).toBe(404);
      app.log.info(
        {
          token: 's3cret-top',
          req: { headers: { authorization: 'Bearer s3cret-req' } },
          sink: { auth: { token: 's3cret-deep' } },
        },
        'configured',
      );
      app.log.debug('not at info');
    } finally {
      await app.close();
    }
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.length).toBeGreaterThanOrEqual(3); // the request, its answer, and ours
    for (const record of records) expect(typeof record['level']).toBe('number');
    expect(records.some((r) => r['msg'] === 'incoming request')).toBe(true);
    const configured = records.find((r) => r['msg'] === 'configured');
    expect(configured).toMatchObject({
      level: 30,
      token: '[redacted]',
      sink: { auth: { token: '[redacted]' } },
    });
    expect(lines.join('')).not.toContain('s3cret');
    expect(records.some((r) => r['msg'] === 'not at info')).toBe(false);
  });

  it('takes its level from --log-level, then BATON_LOG_LEVEL, then info; an unknown level says which', () => {
    expect(readLogLevel('debug', { BATON_LOG_LEVEL: 'warn' })).toBe('debug');
    expect(readLogLevel(undefined, { BATON_LOG_LEVEL: 'WARN' })).toBe('warn');
    expect(readLogLevel(undefined, {})).toBe('info');
    expect(() => readLogLevel('loud', {})).toThrow(
      "--log-level: 'loud' is not a log level; use one of fatal",
    );
    expect(() => readLogLevel(undefined, { BATON_LOG_LEVEL: 'x' })).toThrow('BATON_LOG_LEVEL');
  });
});
