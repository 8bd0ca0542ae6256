import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApi, type ApiHarness } from './api-harness.js';

let api: ApiHarness;
beforeEach(async () => {
  api = await openApi();
});
afterEach(async () => {
  await api.close();
});

describe("API: a sink's parked events", () => {
  it('lists the events a sink refused for good, with why, page by page', async () => {
    const events = [1, 2, 3].map((id) => ({
      id,
      type: 'WORKFLOW_INSTANCE_STATUS_CHANGE_EVENT',
      payload: { workflow_id: 'w', workflow_instance_id: id, workflow_run_id: 1 },
      create_time: 1000 + id,
    }));
    await api.baton.store.transact(async (tx) => {
      await tx.addDeliveries(['hook', 'other'], events);
      for (const e of events) await tx.parkDelivery('hook', e.id, `HTTP 400 for event ${e.id}`, 5000);
    });
    const get = (url: string) => api.app.inject({ method: 'GET', url: `/api/v3${url}` });
    const first = (await get('/events/sinks/hook/parked?first=2')).json();
    expect(first.elements.map((e: { id: number; reason: string }) => [e.id, e.reason])).toEqual([
      [1, 'HTTP 400 for event 1'],
      [2, 'HTTP 400 for event 2'],
    ]);
    expect(first.page_info).toMatchObject({ end_cursor: '2', has_next_page: true });
    const next = (await get('/events/sinks/hook/parked?first=2&cursor=2')).json();
    expect(next.elements.map((e: { id: number }) => e.id)).toEqual([3]);
    expect(next.page_info.has_next_page).toBe(false);
    expect((await get('/events/sinks/other/parked')).json().elements).toEqual([]);

    const resend = (id: number) =>
      api.app.inject({ method: 'POST', url: `/api/v3/events/sinks/hook/parked/${id}/actions/resend` });
    expect((await resend(2)).statusCode).toBe(200);
    expect((await resend(2)).statusCode).toBe(404);
    expect((await get('/events/sinks/hook/parked')).json().elements.map((e: { id: number }) => e.id)).toEqual(
      [1, 3],
    );
    const queued = await api.baton.store.transact((tx) => tx.readDeliveries('hook', 10));
    expect(queued.map((d) => d.id)).toEqual([2]);
  });
});
