/**
 * The pure rules behind the staff-side hardening: login limits counted before hashing, the password
 * check gate, refused-login aggregation and masking, invisible characters, canonical years, and the
 * bounded write-in queue.
 */
import { describe, expect, it } from 'vitest';
import {
  AUDIT_FIELD_LIMITS,
  capAuditEntry,
  capText,
  maskUnknownUsername,
  RefusalLedger,
} from '../../src/lib/admin/audit-entries';
import { ConcurrencyGate } from '../../src/lib/admin/concurrency-gate';
import { canonicalUsername, LoginThrottle } from '../../src/lib/admin/login-throttle';
import { pageCount, pageLinks, parsePageNumber } from '../../src/lib/paging';
import { parsePlanYear } from '../../src/lib/admin/plan-rules';
import { groupWriteIns, type IndexedWriteIn } from '../../src/lib/admin/write-in-groups';
import { queuePage, searchMergeTargets, shownEntries } from '../../src/lib/admin/write-in-queue';
import { checkBallot, visibleText } from '../../src/lib/voting/ballot-rules';

const policy = {
  maxFailures: 5,
  lockMinutes: 15,
  maxLockMinutes: 240,
  slowdownAfter: 10,
  delaySeconds: 1,
  maxDelaySeconds: 60,
  maxKeys: 1000,
};

describe('LoginThrottle', () => {
  it('admits no more than the limit for a burst from one address, counted before any check', () => {
    const throttle = new LoginThrottle(policy);
    // 100 attempts arriving before any password check finishes: none has reported back.
    const admitted = Array.from({ length: 100 }, () => throttle.admit('admin', 'addr-a', 0)).filter((a) => a.allowed);
    expect(admitted).toHaveLength(5);
  });

  it('never locks the account holder out at a fresh address', () => {
    const throttle = new LoginThrottle(policy);
    for (let i = 0; i < 5; i += 1) throttle.admit('admin', 'attacker', i);
    expect(throttle.admit('admin', 'attacker', 10).allowed).toBe(false);
    expect(throttle.admit('admin', 'office', 10).allowed).toBe(true);
  });

  it('spaces out an account guessed from many addresses by a bounded delay, never a lock', () => {
    const throttle = new LoginThrottle(policy);
    let t = 0;
    for (let i = 0; i < 200; i += 1) {
      const admission = throttle.admit('admin', `addr-${i}`, t);
      if (!admission.allowed) {
        expect(admission.reason).toBe('slowed');
        expect(admission.retryAt.getTime() - t).toBeLessThanOrEqual(60_000);
        t = admission.retryAt.getTime();
      }
    }
    const fresh = throttle.admit('admin', 'office', t + 60_000);
    expect(fresh.allowed).toBe(true);
  });

  it('a right password takes the counted attempt back, and the 5th wrong one reports the lock it starts', () => {
    const throttle = new LoginThrottle(policy);
    for (let i = 0; i < 4; i += 1)
      expect(throttle.admit('admin', 'a', 0)).toEqual({ allowed: true, lockedIfWrong: null });
    const fifth = throttle.admit('admin', 'a', 0);
    expect(fifth.allowed && fifth.lockedIfWrong?.getTime()).toBe(15 * 60_000);
    throttle.succeeded('admin', 'a', 0);
    expect(throttle.admit('admin', 'a', 1).allowed).toBe(true);
  });

  it('keys user names as the lookup spells them', () => {
    expect(canonicalUsername(' Admin ')).toBe('admin');
    expect(canonicalUsername('ＡＤＭＩＮ')).toBe('admin');
  });
});

describe('ConcurrencyGate', () => {
  it('runs at most 2 at once, queues 4, refuses the rest at once', async () => {
    const gate = new ConcurrencyGate(2, 4);
    let running = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const task = () =>
      new Promise<void>((resolve) => {
        running += 1;
        peak = Math.max(peak, running);
        release.push(() => {
          running -= 1;
          resolve();
        });
      });
    const started = Array.from({ length: 10 }, () => gate.tryRun(task));
    expect(started.filter((run) => run === null)).toHaveLength(4);
    expect(gate.full).toBe(true);
    while (release.length > 0 || running > 0) {
      release.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(started);
    expect(peak).toBe(2);
    expect(gate.full).toBe(false);
  });
});

describe('audit entries of refused logins', () => {
  it('masks a name that is no account and caps long text', () => {
    expect(maskUnknownUsername('MySecretPassw0rd!')).toBe('M…（共 17 个字符，非现有账号）');
    expect(maskUnknownUsername('MySecretPassw0rd!')).not.toContain('Secret');
    expect([...capText('长'.repeat(1000), 200)]).toHaveLength(200);
  });

  it('cuts attacker-chosen fields to their limits and leaves short ones alone', () => {
    const capped = capAuditEntry({
      actor: null,
      action: 'login',
      target: '用'.repeat(10_000),
      outcome: 'denied',
      detail: 'x'.repeat(5000),
    });
    expect([...(capped.target ?? '')]).toHaveLength(AUDIT_FIELD_LIMITS.target);
    expect(capped.target?.endsWith('…')).toBe(true);
    expect(capped.detail).toHaveLength(AUDIT_FIELD_LIMITS.detail);
    expect(capAuditEntry({ actor: 'alice', action: 'logout', target: null, outcome: 'ok', detail: null })).toEqual({
      actor: 'alice',
      action: 'logout',
      target: null,
      outcome: 'ok',
      detail: null,
    });
  });

  it('writes one line per key and window and one summary with the count', () => {
    const ledger = new RefusalLedger<string>(600_000, 100);
    const written: string[] = [];
    for (let i = 0; i < 1000; i += 1) {
      const { writeNow, closed } = ledger.record('login|unknown', `attempt ${i}`, i * 10);
      if (writeNow) written.push(`attempt ${i}`);
      for (const window of closed) written.push(`${window.first} +${window.more}`);
    }
    for (const window of ledger.closeEnded(600_000)) written.push(`${window.first} +${window.more}`);
    expect(written).toEqual(['attempt 0', 'attempt 0 +999']);
  });

  it('keeps at most maxKeys windows open', () => {
    const ledger = new RefusalLedger<number>(600_000, 3);
    let closedCount = 0;
    for (let i = 0; i < 10; i += 1) {
      closedCount += ledger.record(`k${i}`, i, i).closed.length;
      closedCount += ledger.record(`k${i}`, i, i).closed.length;
    }
    expect(closedCount).toBe(7);
  });
});

describe('invisible characters in write-ins', () => {
  const campaign = {
    candidates: [],
    maxChoices: 3,
    writeInLimits: { maxWriteIns: 3, productMaxLength: 30, issueMaxLength: 200, venueMaxLength: 50 },
  };
  const spellings = [
    '充电宝',
    '充\u200b电宝',
    '充电\u200d宝',
    '\ufeff充电宝',
    '充电宝\ufe0f',
    '\u202e充电宝',
    '充\u2066电\u2069宝',
    '充电\u00ad宝',
    'ｃ充电宝'.slice(1),
    '充电宝\u034f',
  ];

  it('strips zero-width, format, variation-selector and bidi characters and NFKC-normalises', () => {
    expect(visibleText('\u202e宝电充')).toEqual({ text: '宝电充', removed: true });
    expect(visibleText('ＡＢＣ１２３')).toEqual({ text: 'ABC123', removed: false });
    for (const spelling of spellings) {
      const checked = checkBallot({ writeIns: [{ product: spelling, issue: '鼓包' }] }, campaign);
      expect(checked.ok && checked.ballot.writeIns[0]?.product).toBe('充电宝');
    }
  });

  it('marks a write-in that had any stripped', () => {
    const clean = checkBallot({ writeIns: [{ product: '充电宝', issue: '鼓包' }] }, campaign);
    const dirty = checkBallot({ writeIns: [{ product: '充电宝', issue: '鼓\u200b包' }] }, campaign);
    expect(clean.ok && clean.ballot.writeIns[0]?.invisibleRemoved).toBeUndefined();
    expect(dirty.ok && dirty.ballot.writeIns[0]?.invisibleRemoved).toBe(true);
  });

  it('an all-invisible product is empty, not a write-in', () => {
    expect(checkBallot({ writeIns: [{ product: '\u200b\u200c', issue: '鼓包' }] }, campaign)).toEqual({
      ok: false,
      code: 'INVALID_WRITE_IN',
    });
  });

  it('groups the ten spellings as one', () => {
    const entries: IndexedWriteIn[] = spellings.map((product, index) => ({
      key: `b${index}#0`,
      ballotId: `b${index}`,
      product,
      issue: '鼓包',
      venue: null,
      createdAt: '2027-03-01T02:00:00Z',
      choices: [],
      invisibleRemoved: false,
    }));
    expect(groupWriteIns(entries, [])).toHaveLength(1);
  });
});

describe('canonical plan years', () => {
  it('accepts four digits in range only', () => {
    expect(parsePlanYear('2027')).toBe(2027);
    for (const segment of [
      '0x7eb',
      '+2027',
      '2027.0',
      ' 2027',
      '2027 ',
      '02027',
      '1e3',
      '1999',
      '2101',
      '',
      undefined,
    ]) {
      expect(parsePlanYear(segment)).toBeNull();
    }
  });

  it('page numbers too', () => {
    expect(parsePageNumber('3')).toBe(3);
    for (const text of ['0', '-1', '03', '1.5', '0x2', 'abc', null]) expect(parsePageNumber(text)).toBe(1);
    expect(pageLinks(50, 100)).toEqual([1, 48, 49, 50, 51, 52, 100]);
  });

  it('counts whole pages, and an empty list still has one page', () => {
    expect(pageCount(0, 100)).toBe(1);
    expect(pageCount(100, 100)).toBe(1);
    expect(pageCount(101, 100)).toBe(2);
  });
});

describe('the bounded write-in queue', () => {
  const many = (count: number): IndexedWriteIn[] =>
    Array.from({ length: count }, (_, index) => ({
      key: `b${index}#0`,
      ballotId: `b${index}`,
      product: `产品${index}号`,
      issue: '质量问题',
      venue: null,
      createdAt: '2027-03-01T02:00:00Z',
      choices: [],
      invisibleRemoved: false,
    }));

  it('shows one page of 50 groups, pending first', () => {
    const groups = groupWriteIns(many(10_000), []);
    const view = queuePage(groups, 3);
    expect(view).toMatchObject({ page: 3, pages: 200, total: 10_000 });
    expect(view.items).toHaveLength(50);
    expect(queuePage(groups, 9999).page).toBe(200);
  });

  it('finds merge targets by search, at most 20', () => {
    const groups = groupWriteIns(many(10_000), []);
    expect(searchMergeTargets(groups, '产品')).toHaveLength(20);
    expect(searchMergeTargets(groups, '产品1234号').map((group) => group.label)).toEqual(['产品1234号']);
    expect(searchMergeTargets(groups, '   ')).toEqual([]);
  });

  it('shows at most 20 entries of a big group, pending first', () => {
    const entries = Array.from({ length: 500 }, (_, index) => ({
      ...many(1)[0]!,
      key: `c${index}#0`,
      ballotId: `c${index}`,
      product: '充电宝',
    }));
    const [group] = groupWriteIns(entries, [
      {
        campaignId: 'x',
        key: 'c0#0',
        status: 'approved',
        reason: null,
        mergedInto: null,
        decidedBy: 'a',
        decidedAt: '2027-03-01T03:00:00Z',
        version: 1,
      },
    ]);
    const shown = shownEntries(group!);
    expect(shown.entries).toHaveLength(20);
    expect(shown.hidden).toBe(480);
    expect(shown.entries.every((entry) => entry.status === 'pending')).toBe(true);
  });
});
