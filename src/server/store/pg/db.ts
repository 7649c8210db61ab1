/**
 * The connection pool and the two ways the PostgreSQL store talks to it: one statement, or one
 * transaction. Errors meaning "the database cannot be reached or is out of resources" become
 * StoreUnavailableError, which routes answer with 503; anything else is a bug and propagates.
 */
import pg from 'pg';
import { StoreUnavailableError } from '~/server/store/store';

// Counts and sums come back as numbers; every bigint this schema returns stays far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface PoolOptions {
  connectionString: string;
  size: number;
  /** Shown in pg_stat_activity. */
  applicationName: string;
  log: (message: string) => void;
}

export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.size,
    application_name: options.applicationName.slice(0, 63),
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (error) => options.log(`数据库连接出错（空闲连接已丢弃）：${error.message}`));
  return pool;
}

const UNAVAILABLE_CODES = /^(08|53|57P|58)/;
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.test(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
  const message = (error as Error | null)?.message ?? '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|pool after calling end/i.test(
    message,
  );
}

export function unavailable(error: unknown): unknown {
  return isUnavailable(error)
    ? new StoreUnavailableError(`数据库不可用：${(error as Error).message}`, { cause: error })
    : error;
}

/** Deadlock or serialization failure: the transaction changed nothing and may simply run again. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

export type Queryable = Pick<pg.ClientBase, 'query'>;

export async function query<Row extends pg.QueryResultRow>(
  db: Queryable,
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<Row>> {
  try {
    return await db.query<Row>(text, values);
  } catch (error) {
    throw unavailable(error);
  }
}

/**
 * Runs `work` in one transaction: all of it or none. A deadlock or serialization failure is retried
 * (the work must be safe to run again); errors thrown by `work` roll back and propagate.
 */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw unavailable(error);
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      if (isRetryable(error) && attempt < 5) continue;
      throw unavailable(error);
    } finally {
      client.release(broken);
    }
  }
}
