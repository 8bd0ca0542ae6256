import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { runCase, type SelCase } from '/work/main/test/sel/conformance-runner.js';
it('report', () => {
  const cases = JSON.parse(
    readFileSync('/work/shared/maestro/conformance/sel-cases.json', 'utf8'),
  ) as SelCase[];
  let pass = 0;
  const lines: string[] = [];
  for (const c of cases) {
    let r: string | null;
    try {
      r = runCase(c);
    } catch (e) {
      r = 'CRASH ' + String(e);
    }
    if (r === null) pass++;
    else lines.push(`${c.id}: ${r}`);
  }
  console.log(lines.join('\n'));
  console.log(`PASS ${pass}/${cases.length}`);
});
