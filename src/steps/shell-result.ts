import { open } from 'node:fs/promises';
import type { MarkerScan } from './output-markers.js';
import type { ProcessExit } from './process-group.js';
import type { StepResult } from './runtime.js';
import type { OutputResult, StepOutput } from './step-output.js';
import { EMPTY_OUTPUT, isEmpty, mergeStepOutputs, parseStepOutput } from './step-output.js';

/**
 * Gathers a finished process's outputs: the last marker block on stdout, then the $BATON_OUTPUT file, which wins per
 * name when both set the same output.
 */
export async function collectOutput(
  scan: MarkerScan,
  outputFile: string,
  maxBytes: number,
): Promise<OutputResult> {
  const fromMarkers = markerOutput(scan);
  if (!fromMarkers.ok) return fromMarkers;
  const where = `the $BATON_OUTPUT file (${outputFile})`;
  const text = await readCapped(outputFile, maxBytes);
  if (text === 'too_large') return { ok: false, message: `${where} is larger than ${maxBytes} bytes` };
  const fromFile =
    text === undefined ? { ok: true as const, value: EMPTY_OUTPUT } : parseStepOutput(text, where);
  if (!fromFile.ok) return fromFile;
  return { ok: true, value: mergeStepOutputs([fromMarkers.value, fromFile.value]) };
}

function markerOutput(scan: MarkerScan): OutputResult {
  switch (scan.kind) {
    case 'none':
      return { ok: true, value: EMPTY_OUTPUT };
    case 'error':
      return { ok: false, message: scan.message };
    case 'block':
      return parseStepOutput(
        scan.text,
        `output block ${scan.ordinal} on stdout (between the MAESTRO_OUTPUT markers)`,
      );
  }
}

/** The file's text, undefined when the step did not write it, or 'too_large' (checked while reading, not trusted from stat). */
async function readCapped(file: string, maxBytes: number): Promise<string | undefined | 'too_large'> {
  const handle = await open(file, 'r').catch((err: unknown) => {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (handle === undefined) return undefined;
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return 'too_large';
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    await handle.close();
  }
}

export function successResult(output: OutputResult): StepResult {
  if (!output.ok)
    return {
      state: 'user_error',
      message: `the process succeeded but its output is unusable: ${output.message}`,
    };
  return { state: 'done', ...outputFields(output.value, true) };
}

/**
 * A failed attempt keeps its artifacts: a job that knows retrying is pointless reports
 * `maestro_retry: {retryable: false}` and exits non-zero, and the engine must see it. Output params are dropped, as
 * Maestro merges them only into a successful step.
 */
export function failureResult(
  exit: ProcessExit,
  stderrTail: readonly string[],
  output: OutputResult,
): StepResult {
  const how =
    exit.signal !== null
      ? `was killed by signal ${exit.signal}`
      : `exited with code ${exit.code ?? 'unknown'}`;
  const stderr =
    stderrTail.length === 0
      ? ' (stderr was empty)'
      : `; last lines of stderr:\n${stderrTail.map((line) => `  ${line}`).join('\n')}`;
  const note = output.ok ? '' : `\n(also: ${output.message})`;
  return {
    state: 'user_error',
    message: `the process ${how}${stderr}${note}`,
    ...(output.ok ? outputFields(output.value, false) : {}),
  };
}

function outputFields(output: StepOutput, withOutputs: boolean): Pick<StepResult, 'outputs' | 'artifacts'> {
  return {
    ...(withOutputs && !isEmpty(output.outputs) ? { outputs: output.outputs } : {}),
    ...(isEmpty(output.artifacts) ? {} : { artifacts: output.artifacts }),
  };
}
