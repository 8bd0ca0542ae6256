import { describe, expect, it } from 'vitest';
import { useShellFixture } from './shell-fixture.js';

/** Prints a Maestro output block the way a Kubernetes job script does. */
const emit = (json: unknown) => `echo "$MAESTRO_OUTPUT_START"'${JSON.stringify(json)}'"$MAESTRO_OUTPUT_END"`;

describe('Shell runtime: outputs', () => {
  const { execute } = useShellFixture();

  it('reads output params from the $BATON_OUTPUT file', async () => {
    const { result } = await execute({ command: `echo '{"rows": 3, "table": "t1"}' > "$BATON_OUTPUT"` });
    expect(result).toEqual({ state: 'done', outputs: { rows: 3, table: 't1' } });
  });

  it('reads Maestro output markers, taking the evaluated value of param objects', async () => {
    const json = {
      params: { x: { type: 'LONG', value: 1, evaluated_result: 1 }, y: { value: 'two' }, z: [1, 2] },
      artifacts: { note: { text: 'hi' } },
    };
    const { result } = await execute({ command: `echo before; ${emit(json)}; echo after` });
    expect(result).toEqual({
      state: 'done',
      outputs: { x: 1, y: 'two', z: [1, 2] },
      artifacts: { note: { text: 'hi' } },
    });
  });

  it('finds a marker block split across chunks, even inside a token', async () => {
    // Each printf reaches the runtime as its own chunk because of the pause between them.
    const script = [
      `printf 'log line\\nMAESTRO_OUTPUT_ST'`,
      'sleep 0.2',
      `printf 'ART_TOKEN{"params": {"a"'`,
      'sleep 0.2',
      `printf ': 1}}MAESTRO_OUTPUT_E'`,
      'sleep 0.2',
      `printf 'ND_TOKEN\\n'`,
    ].join('\n');
    const { result, stdout } = await execute({ script });
    expect(result).toEqual({ state: 'done', outputs: { a: 1 } });
    expect(await stdout()).toContain(
      'MAESTRO_OUTPUT_START_TOKEN{"params": {"a": 1}}MAESTRO_OUTPUT_END_TOKEN',
    );
  });

  it('merges both sources, the $BATON_OUTPUT file winning per name', async () => {
    const command = `${emit({ a: 'marker', b: 'marker' })}; echo '{"b": "file"}' > "$BATON_OUTPUT"`;
    const { result } = await execute({ command });
    expect(result).toEqual({ state: 'done', outputs: { a: 'marker', b: 'file' } });
  });

  it('scans all of stdout for markers, beyond the log cap', async () => {
    const command = `head -c 5000 /dev/zero | tr '\\0' a; ${emit({ late: true })}`;
    const { result } = await execute({ command }, { options: { maxLogBytes: 100 } });
    expect(result).toEqual({ state: 'done', outputs: { late: true } });
  });

  it('fails with user_error naming the marker block that holds invalid JSON', async () => {
    const { result } = await execute({
      command: `echo "$MAESTRO_OUTPUT_START"'{"a": }'"$MAESTRO_OUTPUT_END"`,
    });
    expect(result.state).toBe('user_error');
    expect(result.message).toContain('invalid output JSON in output block 1 on stdout');
  });

  it('fails with user_error naming the $BATON_OUTPUT file when it holds invalid JSON', async () => {
    const { result } = await execute({ command: `echo 'not json' > "$BATON_OUTPUT"` });
    expect(result.state).toBe('user_error');
    expect(result.message).toMatch(/invalid output JSON in the \$BATON_OUTPUT file \(.*output\.json\)/);
  });

  it('fails when a marker block never ends', async () => {
    const { result } = await execute({ command: `printf '%s{"a": 1}' "$MAESTRO_OUTPUT_START"` });
    expect(result.state).toBe('user_error');
    expect(result.message).toContain('never ends with $MAESTRO_OUTPUT_END');
  });

  it('rejects an output file larger than maxOutputBytes', async () => {
    const command = `printf '{"a": "%s"}' "$(head -c 200 /dev/zero | tr '\\0' x)" > "$BATON_OUTPUT"`;
    const { result } = await execute({ command }, { options: { maxOutputBytes: 100 } });
    expect(result.state).toBe('user_error');
    expect(result.message).toContain('larger than 100 bytes');
  });

  it('passes maestro_retry through on a failed attempt so the engine can stop retrying', async () => {
    const retry = {
      artifacts: { maestro_retry: { type: 'RETRY', retryable: false } },
      params: { ignored: 1 },
    };
    const { result } = await execute({ command: `${emit(retry)}; echo 'bad input' >&2; exit 1` });
    expect(result).toEqual({
      state: 'user_error',
      message: 'the process exited with code 1; last lines of stderr:\n  bad input',
      artifacts: { maestro_retry: { type: 'RETRY', retryable: false } },
    });
  });
});
