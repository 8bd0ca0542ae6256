/**
 * What the scheduler does with fire times missed while no scheduler ran (docs/triggers.md): `latest` (the default)
 * fires the newest missed time once, `all` fires every one (at most `maxPerWake` per trigger per wake, the rest at
 * the next wake at once), `none` fires none of them and waits for the next time. Server-wide:
 * `baton server --trigger-catch-up`, or BATON_TRIGGER_CATCH_UP.
 */
export const CATCH_UP_POLICIES = ['latest', 'all', 'none'] as const;
export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];

export interface CatchUp {
  readonly policy: CatchUpPolicy;
  /** `all`: fire times started per trigger per wake. */
  readonly maxPerWake: number;
}

export const DEFAULT_CATCH_UP: CatchUp = { policy: 'latest', maxPerWake: 100 };

/** Reads a policy name; an error naming the policies there are when it is not one. */
export function parseCatchUp(text: string): { catchUp: CatchUp } | { error: string } {
  const name = text.trim().toLowerCase();
  if (!(CATCH_UP_POLICIES as readonly string[]).includes(name))
    return { error: `the trigger catch-up policy is one of ${CATCH_UP_POLICIES.join(', ')}, not '${text}'` };
  return { catchUp: { ...DEFAULT_CATCH_UP, policy: name as CatchUpPolicy } };
}
