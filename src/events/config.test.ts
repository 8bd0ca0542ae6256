import { describe, expect, it } from 'vitest';
import { ValidationError } from '../model/errors.js';
import { parseEventsConfig } from './config.js';

const issuesOf = (text: string, env: Record<string, string> = {}) => {
  try {
    parseEventsConfig(text, 'events.yaml', env);
  } catch (error) {
    if (error instanceof ValidationError)
      return error.issues.map((i) => `${i.line}:${i.column} ${i.message}`);
    throw error;
  }
  throw new Error('no error');
};

describe('events file', () => {
  it('reads every sink kind and puts environment variables into strings', () => {
    const config = parseEventsConfig(
      `cluster_name: east
sinks:
  - { name: hook, type: webhook, url: "https://example.com/hook", secret: "\${env:HOOK_SECRET}" }
  - { name: bus, type: nats, servers: [ "nats://a:4222" ], subject: baton.events, stream: BATON }
  - { name: mq, type: rabbitmq, url: "amqp://u:\${env:MQ_PASS}@mq:5672", exchange: baton, routing_key: events }
  - { name: log, type: redis, url: "redis://r:6379", stream: baton-events, max_len: 1000 }
retry: { initial_ms: 500, max_ms: 30000 }
`,
      'events.yaml',
      { HOOK_SECRET: 'a-secret-of-some-length', MQ_PASS: 'p' },
    );
    expect(config.sinks?.map((s) => s.type)).toEqual(['webhook', 'nats', 'rabbitmq', 'redis']);
    expect(config.sinks?.[0]).toMatchObject({ secret: 'a-secret-of-some-length' });
    expect(config.sinks?.[2]).toMatchObject({ url: 'amqp://u:p@mq:5672' });
    expect(config.retry).toEqual({ initial_ms: 500, max_ms: 30000 });
  });

  it('lists every problem with its line and column', () => {
    expect(
      issuesOf(`sinks:
  - name: hook
    type: webhook
    url: https://x
    secret: short
  - name: hook
    type: kafka
  - name: r
    type: redis
    url: redis://x
    stream: s
    colour: red
`),
    ).toEqual([
      '5:13 the secret needs at least 16 characters',
      '7:11 each sink needs a type: webhook, nats, rabbitmq or redis',
      '8:5 Unrecognized key: "colour"',
    ]);
    expect(issuesOf('sinks: []\n')).toEqual(['1:8 list at least one sink']);
    expect(issuesOf('sinks: [\n')[0]).toMatch(/^2:1 /);
    expect(
      issuesOf('{"sinks": [{"name": "a", "type": "redis", "url": "redis://x", "stream": "${env:NOPE}"}]}'),
    ).toEqual(['1:73 the environment variable NOPE is not set']);
  });

  it('refuses two sinks with one name', () => {
    const sink = '{ type: redis, url: "redis://x", stream: s }';
    expect(issuesOf(`sinks:\n  - { name: a, ${sink.slice(2)}\n  - { name: a, ${sink.slice(2)}\n`)).toEqual([
      "3:13 two sinks are named 'a'",
    ]);
  });
});
