// Run once per `vitest run` (vitest.config.ts `globalSetup`), before any test file: says in one line what the run
// leaves out, where each suite would otherwise skip without a word.
import { pgSuitesNotice } from './postgres.js';

export default function setup(): void {
  const notice = pgSuitesNotice(process.env);
  if (notice !== undefined) console.log(notice);
}
