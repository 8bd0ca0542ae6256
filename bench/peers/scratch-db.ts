import pg from 'pg';

/**
 * Runs `fn` with the URL of a new, empty database `name` on the server `adminUrl` points at (any database there),
 * and drops it afterwards, whatever happens.
 */
export async function withScratchDatabase<T>(
  adminUrl: string,
  name: string,
  fn: (url: string) => Promise<T>,
): Promise<T> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`scratch database name '${name}' is not a plain name`);
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** True when a PostgreSQL server answers at `url`. */
export async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
