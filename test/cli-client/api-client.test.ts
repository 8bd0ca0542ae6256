// The typed API client against a real Baton server, and how the CLI maps the answers of a server it did not
// expect (5xx, 501, not JSON) to exit codes.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/client/api-client.js';
import { ApiError, ServerUnreachableError } from '../../src/client/errors.js';
import { runCli } from '../cli/run-cli.js';
import { closedPortUrl, GOOD, INVALID, openClientServer, type ClientServer } from './client-server.js';

let s: ClientServer | undefined;
let plain: Server | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
  await new Promise<void>((resolve) => (plain ? plain.close(() => resolve()) : resolve()));
  plain = undefined;
});

describe('createApiClient', () => {
  it('pushes, starts, reads and stops through typed methods, sending the user header', async () => {
    s = await openClientServer();
    const api = createApiClient({ url: `${s.url}/`, user: 'ann', token: 'not-checked-yet' });
    const created = await api.createWorkflow(GOOD, 'yaml');
    expect(created.workflow_definition.metadata).toMatchObject({
      workflow_id: 'good',
      version_author: 'ann',
    });
    expect((await api.getVersion('good', 'latest')).is_latest).toBe(true);
    const started = await api.start('good', 1, { run_params: { n: { type: 'LONG', value: 2 } } });
    expect(started).toMatchObject({ workflow_id: 'good', workflow_instance_id: 1, status: 'CREATED' });
    await s.api.baton.engine.waitForEnd({ workflow_id: 'good', instance_id: 1, run_id: 1 });
    const run = await api.getRun('good', 1, 'latest');
    expect(run).toMatchObject({ status: 'SUCCEEDED', initiator: { user: 'ann' } });
    expect((await api.getInstance('good', 1)).workflow_run_id).toBe(1);
    const restarted = await api.restartInstance('good', 1, { restart_policy: 'RESTART_FROM_BEGINNING' });
    expect(restarted.workflow_run_id).toBe(2);
  });

  it('throws ApiError with the status and the parsed error body', async () => {
    s = await openClientServer();
    const api = createApiClient({ url: s.url });
    const error = await api.createWorkflow(INVALID, 'yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.body.status).toBe('BAD_REQUEST');
    expect(apiError.errors.find((e) => e.code === 'INVALID_VALUE')).toMatchObject({ line: 7, column: 15 });
    const missing = await api.getRun('good', 9, 1).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect((missing as ApiError).status).toBe(404);
  });

  it('throws ServerUnreachableError naming the URL when nothing answers', async () => {
    const url = await closedPortUrl();
    const error = await createApiClient({ url })
      .getRun('good', 1, 1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerUnreachableError);
    expect((error as Error).message).toContain(url);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => createApiClient({ url: 'ftp://host' })).toThrow(/not an http:\/\/ or https:\/\/ URL/);
  });
});

/** A plain HTTP server that answers every request with this status and body. */
async function answering(status: number, body: string, type = 'application/json'): Promise<string> {
  plain = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': type });
    response.end(body);
  });
  await new Promise<void>((resolve) => plain!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(plain.address() as { port: number }).port}`;
}

describe('exit codes of answers the CLI did not expect', () => {
  it('a 5xx answer is exit 3 with the server’s message', async () => {
    const url = await answering(500, '{"status":"INTERNAL_ERROR","message":"the server failed","errors":[]}');
    const { code, stderr } = await runCli(['status', 'good', '1', '--url', url]);
    expect(code).toBe(3);
    expect(stderr).toBe('baton status: the server failed (HTTP 500 INTERNAL_ERROR)\n');
  });

  it('a 501 (not done by this server yet) is exit 2 with the server’s message', async () => {
    const url = await answering(
      501,
      '{"status":"NOT_IMPLEMENTED","message":"signals are not supported yet","errors":[]}',
    );
    const { code, stderr } = await runCli(['signal', 'ready', '--param', 'day=20261207', '--url', url]);
    expect(code).toBe(2);
    expect(stderr).toBe('baton signal: signals are not supported yet (HTTP 501 NOT_IMPLEMENTED)\n');
  });

  it('an error page that is not JSON is still one line', async () => {
    const url = await answering(502, '<html>Bad Gateway</html>', 'text/html');
    const { code, stderr } = await runCli(['ls', '--url', url]);
    expect(code).toBe(3);
    expect(stderr).toBe(
      "baton ls: an answer that is not Baton's: <html>Bad Gateway</html> (HTTP 502 BAD_GATEWAY)\n",
    );
  });
});
