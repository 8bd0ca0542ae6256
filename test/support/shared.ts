import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonObject } from '../../src/model/json.js';

/** The repository root, and the shared specs folder that sits beside it in a checkout (absent elsewhere). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const samplesDir = path.join(sharedDir, 'maestro/samples');
export const conformanceDir = path.join(sharedDir, 'maestro/conformance');

/** True when ../shared is there; suites that read it skip with one line otherwise. */
export const hasShared = existsSync(samplesDir);
/** A Maestro sample definition, read in place (suites that read one skip when ../shared is absent: `hasShared`). */
export function readSample(name: string): JsonObject {
  return JSON.parse(readFileSync(path.join(samplesDir, `${name}.json`), 'utf8')) as JsonObject;
}

export const SHARED_SKIP_REASON = `skipped: ${sharedDir} is absent (it holds the Maestro samples and conformance data)`;
