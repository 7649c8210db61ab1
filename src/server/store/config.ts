/**
 * Environment variables choosing and sizing the store (merged into `src/server/config.ts`).
 * Without DATABASE_URL the portal keeps everything in DATA_DIR (the file store, one process);
 * with it, in PostgreSQL, where several portal processes can share one campaign.
 */
import { z } from 'zod';

export const storeConfigShape = {
  /** PostgreSQL connection URL, e.g. postgresql://portal:secret@db.internal:5432/portal. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL 须以 postgresql:// 开头')
    .optional(),
  /** Connections per portal process (ballot batches in flight use up to half of them). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
};
