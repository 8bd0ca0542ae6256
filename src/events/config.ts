import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ValidationError } from '../model/errors.js';
import { formatPath, type Issue, type JsonPath } from '../model/issue.js';
import { sourceLocator } from '../dsl/source-map.js';
import { sourceSchema } from './sources/config.js';
import { amqpUrl, entityName, natsAccess, positive, redisUrl } from './config-parts.js';

const name = entityName('sink');

const webhook = z.strictObject({
  name,
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
  /** HMAC-SHA256 key for the `Baton-Signature` header. */
  secret: z.string().min(16, 'the secret needs at least 16 characters'),
  headers: z.record(z.string(), z.string()).optional(),
  timeout_ms: positive.optional(),
});
const nats = z.strictObject({
  name,
  type: z.literal('nats'),
  ...natsAccess,
  subject: z.string().min(1),
  /** When set, a publish is acknowledged only by this stream. */
  stream: z.string().min(1).optional(),
  timeout_ms: positive.optional(),
});
const rabbitmq = z.strictObject({
  name,
  type: z.literal('rabbitmq'),
  url: amqpUrl,
  exchange: z.string(),
  routing_key: z.string().optional(),
  timeout_ms: positive.optional(),
});
const redis = z.strictObject({
  name,
  type: z.literal('redis'),
  url: redisUrl,
  stream: z.string().min(1),
  max_len: positive.optional(),
  timeout_ms: positive.optional(),
});

const sink = z.discriminatedUnion('type', [webhook, nats, rabbitmq, redis], {
  error: 'each sink needs a type: webhook, nats, rabbitmq or redis',
});

const file = z
  .strictObject({
    /** Put in every event as `cluster_name`. */
    cluster_name: z.string().min(1).optional(),
    /** Where events go (the relay role). */
    sinks: z.array(sink).min(1, 'list at least one sink').optional(),
    /** Where signals come from (the scheduler role; webhooks the api role): src/sources/config.ts. */
    sources: z.array(sourceSchema).min(1, 'list at least one source').optional(),
    /** Backoff of a sink that is down, and of a source whose signals cannot be stored for now. */
    retry: z.strictObject({ initial_ms: positive.optional(), max_ms: positive.optional() }).optional(),
  })
  .refine((f) => f.sinks !== undefined || f.sources !== undefined, {
    message: 'list at least one sink or source',
  });

export type SinkConfig = z.infer<typeof sink>;
export type EventsConfig = z.infer<typeof file>;
export type SinkType = SinkConfig['type'];

/** `${env:NAME}` inside any string of the file: the value of that environment variable. */
const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Reads a sinks file (YAML or JSON; see docs/events.md): every problem is reported at once, each as
 * `FILE:LINE:COLUMN: message (at path)`. Secrets can stay out of the file: `${env:NAME}` in any string is replaced by
 * that environment variable, and a variable that is not set is a problem too.
 */
export function loadEventsConfig(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): EventsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const why = (error as { code?: string }).code === 'ENOENT' ? 'no such file' : String(error);
    throw new ValidationError(`${path}: cannot read the events file: ${why}`, [
      { code: 'unreadable', path: [], message: why, file: path },
    ]);
  }
  return parseEventsConfig(text, path, env);
}

export function parseEventsConfig(
  text: string,
  fileName: string,
  env: Readonly<Record<string, string | undefined>>,
): EventsConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const issues: Issue[] = doc.errors.map((e) => {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    return {
      code: 'syntax',
      path: [],
      message: e.message.split('\n')[0]!,
      file: fileName,
      line,
      column: col,
    };
  });
  if (issues.length === 0) {
    const locate = sourceLocator(doc, lineCounter);
    const at = (path: JsonPath): Partial<Issue> => ({ file: fileName, ...locate(path) });
    const value = substituteEnv(doc.toJS() as unknown, [], env, (path, message) =>
      issues.push({ code: 'missing_env', path, message, ...at(path) }),
    );
    const parsed = file.safeParse(value);
    if (parsed.success && issues.length === 0) return checkNames(parsed.data, at);
    if (!parsed.success)
      for (const e of parsed.error.issues) {
        const path = e.path.map((p) => (typeof p === 'number' ? p : String(p)));
        // a value whose variable is missing was already reported; what it lacks because of that is not news
        if (issues.some((i) => i.code === 'missing_env' && formatPath(i.path) === formatPath(path))) continue;
        issues.push({ code: 'invalid', path, message: e.message, ...at(path) });
      }
  }
  throw new ValidationError(
    `${fileName}: the events file has ${issues.length} problem(s):\n${issues.map(describe).join('\n')}`,
    issues,
  );
}

function describe(issue: Issue): string {
  const where = [issue.file, issue.line, issue.column].filter((x) => x !== undefined).join(':');
  return `${where}: ${issue.message}${issue.path.length > 0 ? ` (at ${formatPath(issue.path)})` : ''}`;
}

function substituteEnv(
  value: unknown,
  path: JsonPath,
  env: Readonly<Record<string, string | undefined>>,
  missing: (path: JsonPath, message: string) => void,
): unknown {
  if (typeof value === 'string')
    return value.replace(ENV_REF, (_, variable: string) => {
      const found = env[variable];
      if (found === undefined) missing(path, `the environment variable ${variable} is not set`);
      return found ?? '';
    });
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, [...path, i], env, missing));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteEnv(v, [...path, k], env, missing)]),
    );
  return value;
}

function checkNames(config: EventsConfig, at: (path: JsonPath) => Partial<Issue>): EventsConfig {
  const issues: Issue[] = [];
  for (const section of ['sinks', 'sources'] as const) {
    const seen = new Set<string>();
    config[section]?.forEach((s, i) => {
      if (seen.has(s.name)) {
        const path = [section, i, 'name'];
        issues.push({
          code: 'duplicate',
          path,
          message: `two ${section} are named '${s.name}'`,
          ...at(path),
        });
      }
      seen.add(s.name);
    });
  }
  if (issues.length > 0)
    throw new ValidationError(
      `the events file has ${issues.length} problem(s):\n${issues.map(describe).join('\n')}`,
      issues,
    );
  return config;
}
