import { isJsonObject, type JsonObject, type JsonValue } from '../model/json.js';
import type { SignalFacts } from './evaluator.js';
import { plainParams } from './param-evaluator.js';

/**
 * A SIGNAL initiator (REFERENCE Appendix B): `{type: 'SIGNAL', trigger_uuid, signal_id_map: {name: seq_id},
 * params: {name: {type, value}}}`, the trigger's evaluated params, plus `signal_params: {name: {param: value}}`, the
 * params of the instances that fired it (a Baton addition: the run reads them without going back to the store).
 */
export interface SignalInitiator {
  readonly type: 'SIGNAL';
  readonly trigger_uuid: string;
  readonly signal_id_map: Readonly<Record<string, number>>;
  readonly params: JsonObject;
  readonly signal_params: Readonly<Record<string, Readonly<Record<string, string | number>>>>;
}

/** What `params.getFromSignal` reads in a run, from its initiator; undefined for a run no signal trigger started. */
export function signalFactsOf(initiator: JsonObject): SignalFacts | undefined {
  if (initiator['type'] !== 'SIGNAL') return undefined;
  const params = isJsonObject(initiator['params']) ? plainParams(initiator['params']) : {};
  const raw = initiator['signal_params'];
  const signals: Record<string, Readonly<Record<string, JsonValue>>> = {};
  if (isJsonObject(raw)) for (const [name, p] of Object.entries(raw)) if (isJsonObject(p)) signals[name] = p;
  return { params, signals };
}

/** The `signal` of a run's RunInfo: what a signal trigger's run reads through `params.getFromSignal`. */
export function withSignal(initiator: JsonObject): { signal?: SignalFacts } {
  const signal = signalFactsOf(initiator);
  return signal ? { signal } : {};
}
