/** `--max-iterations`: how many iterations one loop step may run (Maestro's limit, 25,000, unless raised). */
export const MAX_ITERATIONS_HELP =
  "iterations one loop step (foreach or while) may run at most (default 25000, Maestro's limit)";

/** What is wrong with a `--max-iterations` value, or undefined when nothing is (or it is not given). */
export function maxIterationsProblem(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 1
    ? undefined
    : `--max-iterations must be a whole number of at least 1, not '${text}'`;
}
