import { describe, expect, it } from 'vitest';
import { parseEventsConfig } from '../../src/events/config.js';
import { ValidationError } from '../../src/model/errors.js';

const issuesOf = (text: string): string[] => {
  try {
    parseEventsConfig(text, 'events.yaml', {});
  } catch (error) {
    if (error instanceof ValidationError)
      return error.issues.map((i) => `${i.line}:${i.column} ${i.message} (${i.path.join('.')})`);
    throw error;
  }
  throw new Error('no error');
};

describe('the sources section of the events file', () => {
  it('reads every source kind beside the sinks, or alone', () => {
    const config = parseEventsConfig(
      `sources:
  - name: landed
    type: nats
    servers: nats://n:4222
    stream: LANDING
    subject: data.landed.>
    signal: { name: table_landed, params: { table: /table, date: /partition/date }, request_id: /event_id }
  - { name: mq, type: rabbitmq, url: "amqp://mq", queue: landed, signal: { name_from: /kind } }
  - { name: log, type: redis, url: "redis://r", stream: landed, field: event, signal: { name: x, payload: /details } }
  - { name: hook, type: webhook, secret: "\${env:HOOK}", signal: { name: x } }
retry: { initial_ms: 200 }
`,
      'events.yaml',
      { HOOK: 'a-secret-of-some-length' },
    );
    expect(config.sinks).toBeUndefined();
    expect(config.sources?.map((s) => s.type)).toEqual(['nats', 'rabbitmq', 'redis', 'webhook']);
    expect(config.sources?.[0]?.signal).toEqual({
      name: 'table_landed',
      params: { table: '/table', date: '/partition/date' },
      request_id: '/event_id',
    });
  });

  it('names the source and field of every problem', () => {
    const lines = (list: string[]) => [...list].sort();
    expect(
      lines(
        issuesOf(`sources:
  - name: a
    type: nats
    servers: nats://n
    signal: { name: x, name_from: /kind }
  - name: b
    type: redis
    url: http://r
    stream: s
    signal: { params: { table: "table" } }
  - { name: a, type: webhook, secret: short, signal: { name: x } }
  - { name: c, type: kafka }
  - { name: d, type: webhook, secret: a-secret-of-some-length }
`),
      ),
    ).toEqual(
      lines([
        '2:5 stream (the JetStream stream to read) is missing (sources.0.stream)',
        '5:13 give the signal a name, or name_from: where the message holds it (one of them) (sources.0.signal)',
        "10:32 a JSON Pointer: '' for the whole message, or /key/key… (~1 for '/', ~0 for '~' in a key) (sources.1.signal.params.table)",
        '10:13 give the signal a name, or name_from: where the message holds it (one of them) (sources.1.signal)',
        '8:10 a redis:// or rediss:// URL (sources.1.url)',
        '11:39 the secret needs at least 16 characters (sources.2.secret)',
        '12:22 each source needs a type: nats, rabbitmq, redis or webhook (sources.3.type)',
        '13:5 signal (how a message becomes a signal: its name, params, payload) is missing (sources.4.signal)',
      ]),
    );
  });

  it('refuses two sources with one name, and a file with neither sinks nor sources', () => {
    const hook = 'type: webhook, secret: a-secret-of-some-length, signal: { name: x } }';
    expect(issuesOf(`sources:\n  - { name: a, ${hook}\n  - { name: a, ${hook}\n`)).toEqual([
      "3:13 two sources are named 'a' (sources.1.name)",
    ]);
    expect(issuesOf('cluster_name: x\n')).toEqual(['1:1 list at least one sink or source ()']);
  });
});
