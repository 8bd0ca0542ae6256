import type { ParamMode } from '../model/enums.js';
import { paramIssue, ParamErrorCode, type ParamIssue } from './errors.js';
import type { SourcedParam } from './types.js';

/**
 * What each mode allows (REFERENCE §3.1). `onRestart` says where a restarted run's value comes from:
 * `previous` (the last run's value, never re-evaluated), `definition` (evaluated again from the definition) or
 * `previous-unless-overridden` (the last run's value unless the restart request gives a new one).
 */
export interface ModeTraits {
  readonly startOverride: boolean;
  readonly restartOverride: boolean;
  readonly runtimeChange: boolean;
  readonly onRestart: 'previous' | 'definition' | 'previous-unless-overridden';
}

export const MODE_TRAITS: Readonly<Record<ParamMode, ModeTraits>> = Object.freeze({
  CONSTANT: { startOverride: false, restartOverride: false, runtimeChange: false, onRestart: 'previous' },
  IMMUTABLE: { startOverride: false, restartOverride: false, runtimeChange: false, onRestart: 'definition' },
  MUTABLE: {
    startOverride: true,
    restartOverride: true,
    runtimeChange: true,
    onRestart: 'previous-unless-overridden',
  },
  MUTABLE_ON_START: {
    startOverride: true,
    restartOverride: false,
    runtimeChange: false,
    onRestart: 'previous',
  },
  MUTABLE_ON_START_RESTART: {
    startOverride: true,
    restartOverride: true,
    runtimeChange: false,
    onRestart: 'previous-unless-overridden',
  },
});

export const DEFAULT_MODE: ParamMode = 'MUTABLE';

/**
 * The kind of layer being merged: `system` layers (defaults, templates, injected info) may set anything;
 * `definition` is the user's workflow/step definition; `start` and `restart` are run params of a start or a
 * restart request, which the modes govern.
 */
export type MergePhase = 'system' | 'definition' | 'start' | 'restart';

export function modeOf(def: { readonly mode?: ParamMode | undefined }): ParamMode {
  return def.mode ?? DEFAULT_MODE;
}

/**
 * Whether `incoming` may replace `existing` in a layer of `phase`; an issue naming the param and the mode when not.
 * RESERVED params (filled in by the system) can never be given by a user layer.
 */
export function checkOverride(
  name: string,
  existing: SourcedParam | undefined,
  phase: MergePhase,
): ParamIssue | undefined {
  if (phase === 'system' || existing === undefined) return undefined;
  if (existing.internal_mode === 'RESERVED') {
    return paramIssue(
      ParamErrorCode.RESERVED_PARAM,
      name,
      `param '${name}' is reserved: the system sets it and it cannot be given (${phase})`,
    );
  }
  if (phase === 'definition') return undefined;
  const mode = modeOf(existing);
  const traits = MODE_TRAITS[mode];
  const allowed = phase === 'start' ? traits.startOverride : traits.restartOverride;
  if (allowed) return undefined;
  return paramIssue(
    ParamErrorCode.OVERRIDE_REJECTED,
    name,
    `param '${name}' is ${mode} and cannot be overridden on ${phase === 'start' ? 'start' : 'restart'}`,
  );
}

/**
 * Whether a step's output params may change `existing` while the run is going (only MUTABLE params may); an issue
 * naming the param and its mode when not.
 */
export function checkRuntimeChange(name: string, existing: SourcedParam | undefined): ParamIssue | undefined {
  if (existing === undefined) return undefined;
  const mode = modeOf(existing);
  if (MODE_TRAITS[mode].runtimeChange && existing.internal_mode !== 'RESERVED') return undefined;
  return paramIssue(
    ParamErrorCode.OVERRIDE_REJECTED,
    name,
    `param '${name}' is ${mode} and cannot be changed by a step's output`,
  );
}
