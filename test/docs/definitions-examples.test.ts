// Keeps docs/definitions.md honest: every complete example in it (```yaml definition / ```json definition) must
// validate with no issues, and every example of a mistake (```yaml invalid) must fail, with the codes its
// `# expect:` line names. Job templates among the examples are used for the other examples, as `baton validate`
// does for a batch of files.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDefinitionText } from '../../src/dsl/parse.js';
import { DslIssueCode } from '../../src/dsl/maestro-dsl/issue-codes.js';
import { IssueCode } from '../../src/dsl/validate/report.js';
import type { JobTemplate } from '../../src/model/definition.js';
import { StepType } from '../../src/model/enums.js';
import { runCli } from '../cli/run-cli.js';
import { repoRoot } from '../support/shared.js';

const docPath = path.join(repoRoot, 'docs/definitions.md');
const doc = readFileSync(docPath, 'utf8');

type BlockKind = 'definition' | 'invalid';

interface Block {
  readonly lang: 'yaml' | 'json';
  readonly kind: BlockKind;
  /** 1-based line of the opening fence, for test names. */
  readonly line: number;
  readonly text: string;
}

/** Fenced blocks whose info string is exactly `<yaml|json> <definition|invalid>`; other blocks are prose. */
function extractBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  let open: { lang: Block['lang']; kind: BlockKind; line: number; body: string[] } | undefined;
  let inOtherFence = false;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (open) {
      if (/^```\s*$/.test(line)) {
        blocks.push({ lang: open.lang, kind: open.kind, line: open.line, text: `${open.body.join('\n')}\n` });
        open = undefined;
      } else {
        open.body.push(line);
      }
      return;
    }
    if (inOtherFence) {
      if (/^```\s*$/.test(line)) inOtherFence = false;
      return;
    }
    const fence = /^```(.*)$/.exec(line);
    if (!fence) return;
    const info = (fence[1] ?? '').trim();
    const marked = /^(yaml|json) (definition|invalid)$/.exec(info);
    if (marked)
      open = { lang: marked[1] as Block['lang'], kind: marked[2] as BlockKind, line: i + 1, body: [] };
    else inOtherFence = true;
  });
  if (open) throw new Error(`docs/definitions.md: the block opened on line ${open.line} is never closed`);
  return blocks;
}

/** `# expect: CODE, CODE` on the first line of an invalid example. */
function expectedCodes(block: Block): string[] {
  const first = block.text.split('\n')[0] ?? '';
  const m = /^#\s*expect:\s*(.+)$/.exec(first.trim());
  return m?.[1]
    ? m[1]
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== '')
    : [];
}

const blocks = extractBlocks(doc);
const definitions = blocks.filter((b) => b.kind === 'definition');
const invalid = blocks.filter((b) => b.kind === 'invalid');
const name = (b: Block) => `${b.lang} example at docs/definitions.md:${b.line}`;

// Job templates in the doc, by lower-cased job type, as `baton validate` collects them from a batch of files.
const templates = new Map<string, JobTemplate>();
for (const block of definitions) {
  const template = parseDefinitionText(block.text).jobTemplate;
  if (template) templates.set(template.definition.job_type.toLowerCase(), template.definition);
}

describe('docs/definitions.md examples', () => {
  it('has examples of every form: JSON, YAML, the YAML DSL and a job template, plus mistakes', () => {
    const formats = new Set(definitions.map((b) => parseDefinitionText(b.text, { templates }).format));
    expect(formats).toEqual(new Set(['json', 'yaml', 'maestro-dsl']));
    expect(templates.size).toBeGreaterThan(0);
    expect(definitions.length).toBeGreaterThanOrEqual(20);
    expect(invalid.length).toBeGreaterThanOrEqual(5);
  });

  it.each(definitions.map((b) => [name(b), b] as const))('%s is valid', (_name, block) => {
    const result = parseDefinitionText(block.text, { templates });
    expect(result.issues).toEqual([]);
    expect(result.format).toBe(block.lang === 'json' ? 'json' : result.format);
    expect(result.workflow ?? result.jobTemplate).toBeDefined();
  });

  it.each(invalid.map((b) => [name(b), b] as const))('%s is rejected', (_name, block) => {
    const result = parseDefinitionText(block.text, { templates });
    expect(result.issues.length).toBeGreaterThan(0);
    const codes = new Set(result.issues.map((i) => i.code));
    for (const code of expectedCodes(block))
      expect(codes, `expected ${code}, got ${[...codes].join(', ')}`).toContain(code);
  });

  it('names an expected issue code on every invalid example', () => {
    for (const block of invalid) expect(expectedCodes(block), name(block)).not.toEqual([]);
  });
});

describe('docs/definitions.md reference tables', () => {
  const documented = (code: string) => doc.includes(`\`${code}\``);

  it('documents every issue code of the validator and the YAML DSL', () => {
    const missing = [...Object.values(IssueCode), ...Object.values(DslIssueCode)].filter(
      (c) => !documented(c),
    );
    expect(missing).toEqual([]);
  });

  it('documents every step type', () => {
    expect(Object.values(StepType).filter((t) => !documented(t))).toEqual([]);
  });
});

describe('docs/definitions.md sample output', () => {
  it('shows what `baton validate broken.yaml` prints for the broken.yaml it shows', async () => {
    const intro = doc.indexOf('Given this `broken.yaml`');
    const block = invalid.find((b) => doc.split('\n').slice(0, b.line).join('\n').length > intro);
    expect(intro, 'the broken.yaml walk-through').toBeGreaterThan(0);
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-docs-'));
    writeFileSync(path.join(dir, 'broken.yaml'), block!.text);
    const { code, stdout } = await runCli(['validate', 'broken.yaml'], dir);
    expect(code).toBe(2);
    const shown = /\$ baton validate broken\.yaml\n([\s\S]*?)\$ echo \$\?\n2\n/.exec(doc);
    expect(shown?.[1]).toBe(stdout);
  });
});
