/**
 * Compile-time checks of a step list: every successor named in a `next` is the id of a step in the same list, and
 * no id appears twice. Step factories keep ids and successor ids as literal types; a list is checked where it is
 * given (`workflow`, `foreach`, `whileLoop`), since a transition can only point at a sibling (REFERENCE §2.5).
 *
 * The check only applies where TypeScript can see the ids: an id typed `string` or `load_${string}` (built in a
 * loop, read from config) stands for ids the compiler cannot list, so a successor that might match it is accepted
 * and left to the validator, which checks the produced JSON.
 */
import type { StepNode, TransitionJson } from './nodes.js';

/**
 * Successors of a step: a list of ids (each taken unconditionally, condition `"true"`) or a map from id to a SEL
 * boolean condition, e.g. `{ load: 'row_count > 0', alert: 'row_count == 0' }`.
 */
export type Next = readonly string[] | { readonly [stepId: string]: string };

/** The successor ids named by a `next` value, as a union of literals when they are literals. */
export type NextIds<X> = [X] extends [never]
  ? never
  : X extends readonly (infer E extends string)[]
    ? E
    : keyof X & string;

type BodyOf<T> = T extends { readonly step: infer B }
  ? B
  : T extends { readonly foreach: infer B }
    ? B
    : T extends { readonly while: infer B }
      ? B
      : T extends { readonly subworkflow: infer B }
        ? B
        : T extends { readonly template: infer B }
          ? B
          : never;

// Both distribute over a union of nodes (`T extends unknown`), and give `never` for `never` (no nodes).

/** The id of a step node, as a literal type when known. */
export type StepIdOf<T> = T extends unknown
  ? BodyOf<T> extends { readonly id: infer I extends string }
    ? I
    : never
  : never;

/** The successor ids of a step node. */
export type SuccessorIdsOf<T> = T extends unknown
  ? BodyOf<T> extends { readonly transition?: infer Tr }
    ? Tr extends { readonly successors: infer S }
      ? keyof S & string
      : never
    : never
  : never;

/**
 * True when `I` is a finite set of known ids: not `string`, and no pattern such as `load_${string}`, which
 * stands for many ids and so cannot be compared one by one. (A pattern makes `Record<I, 0>` an index signature,
 * which the empty object type satisfies; a literal makes it a required property, which the empty type lacks.)
 */
type IsFinite<I extends string> = [I] extends [never]
  ? true
  : Record<never, never> extends Record<I, 0>
    ? false
    : true;

type UnknownSuccessors<T, Ids extends string> =
  IsFinite<SuccessorIdsOf<T>> extends true ? Exclude<SuccessorIdsOf<T>, Ids> : never;

/**
 * The ids that occur more than once in a tuple, in one pass (an element-by-element comparison is quadratic and
 * made a 300-step list take seconds to check). Arrays of unknown length and spreads yield none.
 */
type DuplicateIds<
  S extends readonly unknown[],
  Seen extends string = never,
  Dups extends string = never,
> = S extends readonly [infer Head, ...infer Rest]
  ? DuplicateIds<Rest, Seen | KnownId<Head>, Dups | Extract<KnownId<Head>, Seen>>
  : Dups;

type KnownId<T> = IsFinite<StepIdOf<T>> extends true ? StepIdOf<T> : never;

/**
 * The error types are object types with a property named after the problem: a step that breaks a rule must
 * have that property to be accepted, so the compiler's message quotes the rule and the offending ids.
 */
type CheckOne<Ids extends string, Dups extends string, T> = [UnknownSuccessors<T, Ids>] extends [never]
  ? [Extract<KnownId<T>, Dups>] extends [never]
    ? T
    : T & { readonly 'error: step id used twice in this list': StepIdOf<T> }
  : T & { readonly 'error: next names a step id that is not in this list': UnknownSuccessors<T, Ids> };

/**
 * `Ids` and `Dups` are computed from the whole list and passed separately from the mapped `S` on purpose: for a list with a spread of unknown
 * length (`[...generated, step('report', ...)]`) TypeScript maps each part of the tuple on its own, substituting
 * the part for `S`, and the ids of the other parts would otherwise be lost.
 */
type CheckEach<S extends readonly unknown[], Ids extends string, Dups extends string> = {
  readonly [K in keyof S]: CheckOne<Ids, Dups, S[K]>;
};

/**
 * `S & CheckSteps<S>` is the parameter type of a step list: `S` is inferred from the argument, and each element
 * that breaks a rule gets an extra required property it cannot have, so the error points at that element.
 */
export type CheckSteps<S extends readonly unknown[]> = CheckEach<S, StepIdOf<S[number]>, DuplicateIds<S>>;

/** A steps list as a parameter: inferred as a tuple of literal ids and checked (see {@link CheckSteps}). */
export type StepList<S extends readonly StepNode[]> = S & CheckSteps<S>;

/** Renders `next` as Maestro's transition; an empty `next` is no transition at all (a leaf). */
export function transitionOf<X extends Next>(next: X | undefined): TransitionJson<NextIds<X>> | undefined {
  if (next === undefined) return undefined;
  const entries: [string, string][] = Array.isArray(next)
    ? (next as readonly string[]).map((id) => [id, 'true'])
    : Object.entries(next as { readonly [stepId: string]: string });
  if (entries.length === 0) return undefined;
  const successors: Record<string, string> = {};
  for (const [id, condition] of entries) successors[id] = condition;
  return Object.freeze({ successors: Object.freeze(successors) }) as TransitionJson<NextIds<X>>;
}
