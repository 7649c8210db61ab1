/**
 * npm run migrate:lowdb-to-pg — copies a file store (DATA_DIR) into PostgreSQL (DATABASE_URL):
 * ballots (in log order, the first ballot of each device keeping its "one per device" place), the
 * tallies recounted from them, events, kiosks (token hashes: kiosk links keep working), write-in
 * decisions and moderation, staff accounts and sessions, the audit log, plan items, nomination
 * decisions, outcome publications, settings, the device-cookie secret (device cookies stay valid),
 * today's address key with today's address hashes, published content (publications with their
 * content version, attachments) and API tokens (secret hashes: machine clients keep working).
 *
 *   DATA_DIR=/srv/portal/data DATABASE_URL=postgresql://… npm run migrate:lowdb-to-pg
 *
 * It takes DATA_DIR's writer lock, so it refuses while a server uses the folder (stop the server
 * first: ballots arriving during the copy would be left behind). It refuses a database that holds any
 * portal data already, copies everything in one transaction (all or nothing), and then checks the
 * counts of every table and every campaign's tally against the file store. Exit codes: 0 copied and
 * verified, 1 error or verification failed, 2 refused.
 */
import pg from 'pg';
import { emptyTally, type CampaignTally } from '../src/lib/voting/tally';
import { serverClock } from '../src/server/clock';
import { serverConfig } from '../src/server/config';
import { DocumentFile } from '../src/server/store/file/documents';
import { FileStore } from '../src/server/store/file-store';
import { StoreLockedError } from '../src/server/store/lock';
import { utcDay } from '../src/server/store/keys';
import { DATA_TABLES, migrate } from '../src/server/store/pg/migrations';
import { PUBLICATION_COLUMNS, publicationRow } from '../src/server/store/pg/publications';
import { countBallot, tallyRows } from '../src/server/store/pg/tally-rows';
import { PgStore } from '../src/server/store/pg-store';
import type { Ballot } from '../src/server/store/store';

const BATCH = 5_000;

function refuse(message: string): never {
  console.error(message);
  process.exit(2);
}

async function insertRows(
  client: pg.ClientBase,
  table: string,
  columns: Record<string, string>,
  rows: Record<string, unknown>[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) {
    const names = Object.keys(columns);
    await client.query(
      `INSERT INTO ${table} (${names.join(', ')})
       SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(ord integer, ${names.map((name) => `${name} ${columns[name]}`).join(', ')})
       ORDER BY ord`,
      [JSON.stringify(rows.slice(start, start + BATCH).map((row, index) => ({ ord: start + index, ...row })))],
    );
  }
}

async function main(): Promise<void> {
  const config = serverConfig();
  if (!config.DATABASE_URL) refuse('请设置 DATABASE_URL（目标 PostgreSQL 数据库）和 DATA_DIR（要迁移的文件存储）。');
  const now = serverClock.now();

  let file: FileStore;
  try {
    file = await FileStore.open({
      dataDir: config.DATA_DIR,
      command: 'npm run migrate:lowdb-to-pg',
      deviceCookieSecret: config.DEVICE_COOKIE_SECRET,
      log: (message) => console.warn(`[文件存储] ${message}`),
    });
  } catch (error) {
    if (error instanceof StoreLockedError)
      refuse(`${error.message}\n迁移期间不能有服务器写入：请先停止使用该数据目录的服务器。`);
    throw error;
  }

  const client = new pg.Client({
    connectionString: config.DATABASE_URL,
    application_name: 'npm run migrate:lowdb-to-pg',
  });
  try {
    await client.connect();
    await migrate(client);
    for (const table of DATA_TABLES) {
      if ((await client.query(`SELECT 1 FROM ${table} LIMIT 1`)).rowCount) {
        refuse(`目标数据库不是空的（表 ${table} 已有数据）：为免覆盖或重复，迁移只写入空数据库。`);
      }
    }

    // Hold the lock while reading portal.json directly: nobody else can write it meanwhile.
    const documents = (await DocumentFile.open(config.DATA_DIR)).data;
    const audit = await file.audit.list({ limit: Number.MAX_SAFE_INTEGER, offset: 0 });
    const review = await file.ballots.readAddressReviewSince(null);
    const addressKey = await file.secrets.addressKeyOfDay(now);
    const expected = new Map<string, number>();
    const tallies = new Map<string, CampaignTally>();
    const firstOfDevice = new Set<string>();

    await client.query('BEGIN');
    let cursor: string | null = null;
    let ballotCount = 0;
    for (;;) {
      const page: { ballots: Ballot[]; cursor: string } = await file.ballots.readSince(cursor, BATCH);
      cursor = page.cursor;
      const rows = page.ballots.map((ballot) => {
        let tally = tallies.get(ballot.campaignId);
        if (!tally) tallies.set(ballot.campaignId, (tally = emptyTally()));
        countBallot(tally, ballot);
        // As the file store's device index: the first non-kiosk ballot of a device is its one ballot.
        const deviceKey = `${ballot.campaignId}\t${ballot.deviceHash}`;
        const onePerDevice = ballot.channel !== 'kiosk' && !firstOfDevice.has(deviceKey);
        if (onePerDevice) firstOfDevice.add(deviceKey);
        return {
          id: ballot.id,
          campaign_id: ballot.campaignId,
          choices: ballot.choices,
          write_ins: ballot.writeIns,
          district: ballot.district,
          event: ballot.event,
          event_type: ballot.eventType,
          channel: ballot.channel,
          kiosk_id: ballot.kioskId,
          created_at: ballot.createdAt,
          device_hash: ballot.deviceHash,
          device_key: onePerDevice ? ballot.deviceHash : null,
        };
      });
      await insertRows(
        client,
        'ballots',
        {
          id: 'text',
          campaign_id: 'text',
          choices: 'jsonb',
          write_ins: 'jsonb',
          district: 'text',
          event: 'text',
          event_type: 'text',
          channel: 'text',
          kiosk_id: 'text',
          created_at: 'text',
          device_hash: 'text',
          device_key: 'text',
        },
        rows,
      );
      ballotCount += rows.length;
      if (page.ballots.length < BATCH) break;
      process.stdout.write(`\r已复制 ${ballotCount} 张选票…`);
    }
    expected.set('ballots', ballotCount);

    const counters = [...tallies].flatMap(([campaignId, tally]) =>
      tallyRows(tally).map((row) => ({ campaign_id: campaignId, shard: 0, ...row })),
    );
    await insertRows(
      client,
      'tally_counts',
      { campaign_id: 'text', dimension: 'text', key: 'text', shard: 'smallint', count: 'bigint' },
      counters,
    );
    const latest = [...tallies].flatMap(([campaignId, tally]) =>
      tally.updatedAt ? [{ campaign_id: campaignId, shard: 0, updated_at: tally.updatedAt }] : [],
    );
    await insertRows(client, 'tally_latest', { campaign_id: 'text', shard: 'smallint', updated_at: 'text' }, latest);
    expected.set('tally_counts', counters.length).set('tally_latest', latest.length);

    const day = utcDay(now);
    await client.query('INSERT INTO address_keys (day, key) VALUES ($1, $2)', [day, addressKey.key]);
    await insertRows(
      client,
      'address_review',
      { day: 'text', ballot_id: 'text', campaign_id: 'text', address_hash: 'text' },
      review.entries.map((entry) => ({
        day,
        ballot_id: entry.ballotId,
        campaign_id: entry.campaignId,
        address_hash: entry.addressHash,
      })),
    );
    expected.set('address_keys', 1).set('address_review', review.entries.length);
    // With DEVICE_COOKIE_SECRET set, every process takes the secret from there; otherwise carry the folder's over.
    if (!config.DEVICE_COOKIE_SECRET) {
      await client.query("INSERT INTO secrets (name, value) VALUES ('device-cookie', $1)", [
        await file.secrets.deviceCookieSecret(),
      ]);
    }
    expected.set('secrets', config.DEVICE_COOKIE_SECRET ? 0 : 1);

    const settings = Object.entries(documents.settings).map(([key, value]) => ({ key, value }));
    await insertRows(client, 'settings', { key: 'text', value: 'jsonb' }, settings);
    await insertRows(
      client,
      'events',
      {
        code: 'text',
        campaign_id: 'text',
        type: 'text',
        name: 'text',
        place: 'text',
        date: 'text',
        active_from: 'text',
        active_until: 'text',
        created_at: 'text',
      },
      documents.events.map((event) => ({
        code: event.code,
        campaign_id: event.campaignId,
        type: event.type,
        name: event.name,
        place: event.place,
        date: event.date,
        active_from: event.activeFrom,
        active_until: event.activeUntil,
        created_at: event.createdAt,
      })),
    );
    await insertRows(
      client,
      'kiosks',
      {
        id: 'text',
        event_code: 'text',
        campaign_id: 'text',
        token_hash: 'text',
        created_at: 'text',
        revoked_at: 'text',
      },
      documents.kiosks.map((kiosk) => ({
        id: kiosk.id,
        event_code: kiosk.eventCode,
        campaign_id: kiosk.campaignId,
        token_hash: kiosk.tokenHash,
        created_at: kiosk.createdAt,
        revoked_at: kiosk.revokedAt,
      })),
    );
    await insertRows(
      client,
      'staff_users',
      {
        id: 'text',
        username: 'text',
        role: 'text',
        password_hash: 'text',
        created_at: 'text',
        password_changed_at: 'text',
        disabled_at: 'text',
        version: 'integer',
      },
      documents.staff.map((user) => ({
        id: user.id,
        username: user.username,
        role: user.role,
        password_hash: user.passwordHash,
        created_at: user.createdAt,
        password_changed_at: user.passwordChangedAt,
        disabled_at: user.disabledAt,
        version: user.version,
      })),
    );
    await insertRows(
      client,
      'staff_sessions',
      { id_hash: 'text', user_id: 'text', created_at: 'text', last_seen_at: 'text' },
      documents.sessions.map((session) => ({
        id_hash: session.idHash,
        user_id: session.userId,
        created_at: session.createdAt,
        last_seen_at: session.lastSeenAt,
      })),
    );
    await insertRows(
      client,
      'audit_log',
      { id: 'text', at: 'text', actor: 'text', action: 'text', target: 'text', outcome: 'text', detail: 'text' },
      [...audit.entries].reverse().map((entry) => ({ ...entry })),
    );
    await insertRows(
      client,
      'write_in_moderation',
      {
        campaign_id: 'text',
        key: 'text',
        status: 'text',
        reason: 'text',
        merged_into: 'jsonb',
        decided_by: 'text',
        decided_at: 'text',
        version: 'integer',
      },
      documents.writeInModeration.map((record) => ({
        campaign_id: record.campaignId,
        key: record.key,
        status: record.status,
        reason: record.reason,
        merged_into: record.mergedInto,
        decided_by: record.decidedBy,
        decided_at: record.decidedAt,
        version: record.version,
      })),
    );
    await insertRows(
      client,
      'plan_items',
      {
        id: 'text',
        year: 'integer',
        category: 'text',
        method: 'text',
        quarters: 'jsonb',
        planned_batches: 'integer',
        stages: 'jsonb',
        reason: 'text',
        campaign_id: 'text',
        nomination: 'text',
        created_by: 'text',
        created_at: 'text',
        updated_by: 'text',
        updated_at: 'text',
        version: 'integer',
      },
      documents.planItems.map((item) => ({
        id: item.id,
        year: item.year,
        category: item.category,
        method: item.method,
        quarters: item.quarters,
        planned_batches: item.plannedBatches,
        stages: item.stages,
        reason: item.reason,
        campaign_id: item.campaignId,
        nomination: item.nomination,
        created_by: item.createdBy,
        created_at: item.createdAt,
        updated_by: item.updatedBy,
        updated_at: item.updatedAt,
        version: item.version,
      })),
    );
    await insertRows(
      client,
      'nomination_decisions',
      {
        campaign_id: 'text',
        nomination: 'text',
        declined_reason: 'text',
        decided_by: 'text',
        decided_at: 'text',
        version: 'integer',
      },
      documents.nominationDecisions.map((decision) => ({
        campaign_id: decision.campaignId,
        nomination: decision.nomination,
        declined_reason: decision.declinedReason,
        decided_by: decision.decidedBy,
        decided_at: decision.decidedAt,
        version: decision.version,
      })),
    );
    await insertRows(
      client,
      'outcome_publications',
      { campaign_id: 'text', published_at: 'text', published_by: 'text' },
      documents.outcomePublications.map((publication) => ({
        campaign_id: publication.campaignId,
        published_at: publication.publishedAt,
        published_by: publication.publishedBy,
      })),
    );
    await insertRows(
      client,
      'ballot_set_asides',
      { id: 'text', campaign_id: 'text', record: 'jsonb', version: 'integer' },
      documents.setAsides.map((setAside) => ({
        id: setAside.id,
        campaign_id: setAside.campaignId,
        record: setAside,
        version: setAside.version,
      })),
    );
    const publications = await file.publications.list({ limit: Number.MAX_SAFE_INTEGER, offset: 0 });
    await insertRows(client, 'publications', PUBLICATION_COLUMNS, publications.items.map(publicationRow));
    await client.query('UPDATE content_version SET version = $1', [await file.publications.contentVersion()]);
    const attachmentIds = await file.attachments.ids();
    for (const id of attachmentIds) {
      const attachment = await file.attachments.get(id);
      if (!attachment) continue;
      await client.query('INSERT INTO attachments (id, ref, content) VALUES ($1, $2, $3)', [
        id,
        JSON.stringify(attachment.ref),
        attachment.content,
      ]);
    }
    await insertRows(
      client,
      'api_tokens',
      {
        id: 'text',
        name: 'text',
        scopes: 'jsonb',
        secret_hash: 'text',
        created_at: 'text',
        created_by: 'text',
        last_used_at: 'text',
        revoked_at: 'text',
      },
      documents.apiTokens.map((token) => ({
        id: token.id,
        name: token.name,
        scopes: token.scopes,
        secret_hash: token.secretHash,
        created_at: token.createdAt,
        created_by: token.createdBy,
        last_used_at: token.lastUsedAt,
        revoked_at: token.revokedAt,
      })),
    );
    expected
      .set('publications', publications.total)
      .set('attachments', attachmentIds.length)
      // Spreadsheets waiting for a column mapping are minutes old and not copied: staff upload again.
      .set('pending_uploads', 0)
      .set('api_tokens', documents.apiTokens.length)
      .set('settings', settings.length)
      .set('events', documents.events.length)
      .set('kiosks', documents.kiosks.length)
      .set('kiosk_pacing', 0)
      .set('staff_users', documents.staff.length)
      .set('staff_sessions', documents.sessions.length)
      .set('audit_log', audit.total)
      .set('write_in_moderation', documents.writeInModeration.length)
      .set('plan_items', documents.planItems.length)
      .set('nomination_decisions', documents.nominationDecisions.length)
      .set('outcome_publications', documents.outcomePublications.length)
      .set('ballot_set_asides', documents.setAsides.length);
    await client.query('COMMIT');
    if (ballotCount >= BATCH) process.stdout.write('\n');

    // Verify what is now in the database, table by table and tally by tally.
    let failed = false;
    console.log('表\t文件存储\tPostgreSQL');
    for (const table of DATA_TABLES) {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      const copied = rows[0]?.n ?? -1;
      const source = expected.get(table);
      const ok = copied === source;
      failed ||= !ok;
      console.log(`${table}\t${source}\t${copied}${ok ? '' : '\t← 不一致'}`);
    }
    const target = await PgStore.open({
      connectionString: config.DATABASE_URL,
      poolSize: 2,
      command: 'npm run migrate:lowdb-to-pg (verify)',
      log: () => undefined,
    });
    try {
      for (const campaignId of tallies.keys()) {
        const [fromFile, fromDatabase] = await Promise.all([
          file.tallies.get(campaignId),
          target.tallies.get(campaignId),
        ]);
        const same = JSON.stringify(sortKeys(fromFile)) === JSON.stringify(sortKeys(fromDatabase));
        failed ||= !same;
        console.log(`计票 ${campaignId}：${fromFile.total} 张 ${same ? '一致' : '← 与文件存储不一致'}`);
      }
      const [fileVersion, databaseVersion] = await Promise.all([
        file.publications.contentVersion(),
        target.publications.contentVersion(),
      ]);
      failed ||= fileVersion !== databaseVersion;
      console.log(
        `内容版本：${fileVersion} ${fileVersion === databaseVersion ? '一致' : `← 数据库为 ${databaseVersion}`}`,
      );
    } finally {
      await target.close();
    }
    if (failed) {
      console.error('迁移后的核对未通过：请检查上面标出的项目；文件存储未被改动。');
      process.exitCode = 1;
    } else {
      console.log(
        `迁移完成并核对无误：${ballotCount} 张选票，${documents.staff.length} 个账号，${audit.total} 条审计记录。现在可以用 DATABASE_URL 启动服务器。`,
      );
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
    await file.close();
  }
}

/** A copy with object keys sorted, so two tallies compare by content. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, inner]) => [key, sortKeys(inner)]),
    );
  }
  return value;
}

await main();
