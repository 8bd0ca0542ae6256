import type { SignalCreateRequest, SignalInstance } from '../../client/types.js';
import { isJsonObject, type JsonObject } from '../../model/json.js';
import { ExitCode } from '../io.js';
import { parseParams } from '../run-command.js';
import { UsageError, type ClientContext } from './context.js';
import { formatTime, table } from './format.js';

export interface SignalOptions {
  /** `--param k=v`, as before positional `k=v` pairs; both are read the same. */
  readonly param: readonly string[];
  readonly payload?: string;
  readonly id?: string;
  readonly requestId?: string;
}

/** Signal params from `k=v` pairs: a value that reads as a whole number is a LONG, anything else a STRING. */
function signalParams(pairs: readonly string[]): Record<string, string | number> {
  const values = parseParams(pairs);
  if (typeof values === 'string') throw new UsageError(values.replace('--param', 'a signal param'));
  const params: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'number' && Number.isSafeInteger(value)) params[key] = value;
    else if (typeof value === 'string') params[key] = value;
    else
      throw new UsageError(
        `signal param ${key}: a value is text or a whole number (quote text: ${key}='"…"')`,
      );
  }
  return params;
}

function payloadOf(text: string | undefined): JsonObject {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--payload is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isJsonObject(value)) throw new UsageError('--payload takes a JSON object, e.g. {"note": "…"}');
  return value;
}

/**
 * `baton signal NAME [k=v …] [--payload JSON] [--id ID]`: announces a signal (what signal triggers and steps
 * waiting on it match). The payload's keys travel as the request's extra keys, as Maestro's API takes them.
 */
export async function signalCommand(
  ctx: ClientContext,
  name: string,
  pairs: readonly string[],
  options: SignalOptions,
): Promise<ExitCode> {
  const params = signalParams([...pairs, ...options.param]);
  const id = options.id ?? options.requestId;
  const payload = payloadOf(options.payload);
  for (const key of ['name', 'params', 'request_id', 'request_time'])
    if (key in payload)
      throw new UsageError(`--payload may not have the key '${key}': it is a field of the request`);
  const request: SignalCreateRequest = {
    ...payload,
    name,
    ...(Object.keys(params).length > 0 ? { params } : {}),
    ...(id === undefined ? {} : { request_id: id }),
  };
  const answer = await ctx.api.announceSignal(request);
  if (ctx.json) ctx.printJson(answer ?? {});
  else {
    const again = answer?.status === 'DUPLICATED' ? ' already (same instance id): nothing new' : '';
    ctx.io.stdout(`announced ${name}${answer?.seq_id ? ` #${answer.seq_id}` : ''}${again}\n`);
  }
  return ExitCode.OK;
}

function describeInstance(s: SignalInstance): string {
  const lines = [
    `${s.name} #${s.seq_id ?? '?'}  ${formatTime(s.create_time)}  (instance ${s.instance_id ?? '-'})`,
    ...Object.entries(s.params ?? {}).map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`),
  ];
  if (s.payload && Object.keys(s.payload).length > 0) lines.push(`  payload ${JSON.stringify(s.payload)}`);
  return `${lines.join('\n')}\n`;
}

/** `baton signal get NAME [SEQ]`: one instance (the latest by default). */
export async function signalGetCommand(
  ctx: ClientContext,
  name: string,
  seq: string | undefined,
): Promise<ExitCode> {
  if (seq !== undefined && seq !== 'latest' && !/^[1-9][0-9]{0,14}$/.test(seq))
    throw new UsageError(`SEQ is a signal's seq id (1, 2, …) or latest, not '${seq}'`);
  const instance = await ctx.api.getSignal(
    name,
    seq === undefined || seq === 'latest' ? 'latest' : Number(seq),
  );
  if (ctx.json) ctx.printJson(instance);
  else ctx.io.stdout(describeInstance(instance));
  return ExitCode.OK;
}

/** `baton signal ls NAME [--limit N]`: a signal's instances, newest first. */
export async function signalListCommand(
  ctx: ClientContext,
  name: string,
  options: { readonly limit?: string },
): Promise<ExitCode> {
  const limit = options.limit === undefined ? 20 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new UsageError('--limit is 1 to 200');
  const page = await ctx.api.listSignals(name, { first: limit });
  if (ctx.json) ctx.printJson(page);
  else if (page.elements.length === 0) ctx.io.stdout(`no instances of ${name}\n`);
  else
    ctx.io.stdout(
      table(
        ['SEQ', 'CREATED', 'PARAMS'],
        page.elements.map((s) => [
          String(s.seq_id ?? ''),
          formatTime(s.create_time),
          JSON.stringify(s.params ?? {}),
        ]),
      ),
    );
  return ExitCode.OK;
}

/** `baton signal triggers WORKFLOW`: the workflow's signal trigger subscriptions, one line per signal. */
export async function signalTriggersCommand(ctx: ClientContext, workflowId: string): Promise<ExitCode> {
  const answer = await ctx.api.getSignalTriggers(workflowId);
  if (ctx.json) ctx.printJson(answer);
  else if (answer.signal_triggers.length === 0)
    ctx.io.stdout(`${workflowId} has no signal trigger subscribed (none, no active version, or disabled)\n`);
  else
    ctx.io.stdout(
      table(
        ['TRIGGER', 'SIGNAL', 'CONSUMED UP TO'],
        answer.signal_triggers.flatMap((t) =>
          Object.entries(t.checkpoints).map(([name, seq]) => [t.trigger_uuid.slice(0, 8), name, `#${seq}`]),
        ),
      ),
    );
  return ExitCode.OK;
}
