import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/shared.js';
import { runCli } from './run-cli.js';

describe('baton schema', () => {
  it('prints the JSON Schema committed as schema/workflow.schema.json', async () => {
    const { code, stdout } = await runCli(['schema']);
    expect(code).toBe(0);
    expect(stdout).toBe(readFileSync(path.join(repoRoot, 'schema/workflow.schema.json'), 'utf8'));
    const schema = JSON.parse(stdout) as {
      $schema: string;
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['workflow']);
    expect(Object.keys(schema.properties)).toEqual(['properties', 'workflow', 'is_active', 'git_info']);
  });
});

describe('baton graph', () => {
  const file = 'examples/daily-sales-report.yaml';

  it('draws Mermaid by default, with conditions on edges', async () => {
    const { code, stdout } = await runCli(['graph', 'examples/conditional-dsl.yaml']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'flowchart TD',
        '  %% conditional-dsl',
        '  n0["train (NoOp)"]',
        '  n1["publish (NoOp)"]',
        '  n2["retrain (Sleep)"]',
        '  n0 -->|"score > threshold"| n1',
        '  n0 -->|"!(score > threshold)"| n2',
        '',
      ].join('\n'),
    );
  });

  it('draws DOT with loop bodies as clusters', async () => {
    const { code, stdout } = await runCli([
      'graph',
      '--format',
      'dot',
      'examples/loops/backfill-by-date.json',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('subgraph cluster_0 {');
    expect(stdout).toContain('label="each-day (foreach)";');
    expect(stdout).toContain('"/each-day/load" -> "/each-day/check";');
  });

  it('prints nodes and edges as JSON', async () => {
    const { code, stdout } = await runCli(['graph', '--format', 'json', file]);
    expect(code).toBe(0);
    const graph = JSON.parse(stdout) as {
      workflow_id: string;
      nodes: { id: string }[];
      edges: { from: string; to: string }[];
    };
    expect(graph.workflow_id).toBe('daily-sales-report');
    expect(graph.nodes.map((n) => n.id)).toEqual(['extract', 'clean', 'enrich', 'report']);
    expect(graph.edges).toContainEqual({ from: 'clean', to: 'report' });
  });

  it('refuses an invalid definition with its issues, exit 2', async () => {
    const { code, stderr } = await runCli(['graph', 'package.json']);
    expect(code).toBe(2);
    expect(stderr).toContain("MISSING: 'workflow' is required");
  });

  it('rejects an unknown format', async () => {
    const { code, stderr } = await runCli(['graph', '--format', 'png', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('Allowed choices are mermaid, dot, json');
  });
});

describe('the baton executable', () => {
  it('runs from bin/baton.js (built by npm ci) and exits 2 on an invalid file', () => {
    const bin = path.join(repoRoot, 'bin/baton.js');
    const ok = execFileSync(process.execPath, [bin, 'validate', 'examples'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    expect(ok).toBe('');
    let status = 0;
    let out = '';
    try {
      execFileSync(process.execPath, [bin, 'validate', 'package.json'], {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      status = (error as { status: number }).status;
      out = (error as { stdout: string }).stdout;
    }
    expect(status).toBe(2);
    expect(out).toMatch(/^package\.json:1:1: MISSING: 'workflow' is required/);
  });
});
