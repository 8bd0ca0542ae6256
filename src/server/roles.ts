import type { EngineOptions } from '../engine/engine.js';

/** The roles of a Baton process (`baton server --roles`): which parts of Baton it runs. */
export const ROLES = ['engine', 'worker', 'scheduler', 'relay', 'api'] as const;
export type Role = (typeof ROLES)[number];

/** Reads `--roles` (a comma-separated list); an unknown or empty list is an error naming the roles there are. */
export function parseRoles(text: string): { roles: Role[] } | { error: string } {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !(ROLES as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    return {
      error: `--roles takes a comma-separated list of ${ROLES.join(', ')}; '${unknown[0] ?? text}' is not one`,
    };
  }
  return { roles: [...new Set(names as Role[])] };
}

/**
 * What an engine with these roles claims from the store: `engine` decides (timers, admissions), `worker` runs steps,
 * `scheduler` fires due time triggers and matches announced signals against signal triggers.
 */
export function claimsOf(roles: readonly Role[]): NonNullable<EngineOptions['claims']>[number][] {
  const claims: NonNullable<EngineOptions['claims']>[number][] = [];
  if (roles.includes('engine')) claims.push('decide');
  if (roles.includes('worker')) claims.push('run');
  if (roles.includes('scheduler')) claims.push('schedule');
  return claims;
}
