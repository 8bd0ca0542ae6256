/**
 * `promise`, or a failure saying `what` once `ms` have passed without it settling: for waiting on something outside
 * the test (a database server, a child process) that would otherwise hang the test until its timeout.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} (still pending after ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Asks `check` again and again, `everyMs` apart, until it answers true; fails saying `what` once `ms` have passed.
 * For state that only another process can change (a lock another connection waits on), never for in-process work.
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  what: string,
  { ms = 10_000, everyMs = 10 }: { ms?: number; everyMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
