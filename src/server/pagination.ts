import { z } from 'zod';
import { ValidationError } from '../model/errors.js';
import type { JsonObject, JsonValue } from '../model/json.js';
import type { Page, PageRequest } from '../store/port.js';

/** Maestro's page query: exactly one of `first` (toward the end of the listing) and `last`, and a `cursor`. */
export const pageQuery = z.object({
  first: z.coerce.number().int().min(1).max(200).optional(),
  last: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().min(1).max(256).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;

/**
 * The store's page request for a query. Cursors are the listing's keys as text (an instance id, a version id, a
 * workflow id), as Maestro's are; `parse` reads one and throws for a cursor that is not one.
 */
export function pageRequest<P>(query: PageQuery, parse: (cursor: string) => P): PageRequest<P> {
  if ((query.first === undefined) === (query.last === undefined)) {
    throw new ValidationError('bad page', [
      {
        code: 'INVALID_VALUE',
        path: ['first'],
        message: 'give either first or last (1 to 200), not both and not neither',
      },
    ]);
  }
  const at = query.cursor === undefined ? {} : { position: parse(query.cursor) };
  if (query.first !== undefined)
    return { first: query.first, ...('position' in at ? { after: at.position } : {}) };
  return { last: query.last!, ...('position' in at ? { before: at.position } : {}) };
}

/** A numeric cursor (instance, version, run ids). */
export function idCursor(cursor: string): number {
  if (!/^[0-9]{1,15}$/.test(cursor)) {
    throw new ValidationError('bad cursor', [
      {
        code: 'INVALID_VALUE',
        path: ['cursor'],
        message: `'${cursor.slice(0, 40)}' is not a cursor: give the id a page answered in start_cursor or end_cursor`,
      },
    ]);
  }
  return Number(cursor);
}

/**
 * Maestro's PaginationResult of a page: `page_info` (cursors of its first and last rows, whether rows lie before and
 * after it), `total_count`, `elements`. `other` reads one row past the page in the other direction, to tell.
 */
export async function paginationResult<R, P>(
  page: Page<R>,
  request: PageRequest<P>,
  keyOf: (row: R) => P,
  other: (request: PageRequest<P>) => Promise<Page<R>>,
  view: (row: R) => JsonValue,
  totalCount: number | null,
): Promise<JsonObject> {
  const first = page.rows[0];
  const last = page.rows[page.rows.length - 1];
  let before = false;
  let after = false;
  if (first !== undefined && last !== undefined) {
    if ('first' in request) {
      after = page.hasMore;
      before =
        request.after !== undefined && (await other({ last: 1, before: keyOf(first) })).rows.length > 0;
    } else {
      before = page.hasMore;
      after = request.before !== undefined && (await other({ first: 1, after: keyOf(last) })).rows.length > 0;
    }
  }
  return {
    page_info: {
      start_cursor: first === undefined ? null : String(keyOf(first)),
      end_cursor: last === undefined ? null : String(keyOf(last)),
      has_previous_page: before,
      has_next_page: after,
    },
    total_count: totalCount,
    elements: page.rows.map(view),
  };
}
