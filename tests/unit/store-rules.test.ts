/** The pure rules both stores share: reverse line reading, versions, ids. */
import { describe, expect, it } from 'vitest';
import { changedStaffUser, changeEndsSessions } from '../../src/lib/admin/staff-records';
import { RecordNotFoundError, VersionConflictError, type StaffUser } from '../../src/lib/admin/types';
import { assertCurrentVersion, assertDecisionVersion } from '../../src/lib/admin/versioning';
import { planItemId } from '../../src/lib/plan/items';
import { ReverseLineSplitter } from '../../src/lib/text/reverse-lines';
import { writeInKey } from '../../src/lib/voting/write-in-key';

function linesBackwards(text: string, chunkBytes: number): string[] {
  const bytes = new TextEncoder().encode(text);
  const splitter = new ReverseLineSplitter();
  const decoder = new TextDecoder();
  const lines: string[] = [];
  for (let end = bytes.length; end > 0; end -= chunkBytes) {
    for (const line of splitter.push(bytes.subarray(Math.max(0, end - chunkBytes), end)))
      lines.push(decoder.decode(line));
  }
  const first = splitter.finish();
  if (first) lines.push(decoder.decode(first));
  return lines;
}

describe('ReverseLineSplitter', () => {
  const text = '第一行\nsecond line\n\n第四行：充电宝\nlast\n';

  it('yields the lines last first, whatever the chunk size, even when a chunk splits a UTF-8 character', () => {
    const expected = ['last', '第四行：充电宝', 'second line', '第一行'];
    for (const chunk of [1, 2, 3, 5, 7, 64]) expect(linesBackwards(text, chunk)).toEqual(expected);
  });

  it('keeps a last line without LF and yields nothing for an empty file', () => {
    expect(linesBackwards('a\nb', 2)).toEqual(['b', 'a']);
    expect(linesBackwards('', 4)).toEqual([]);
  });
});

describe('versions and records', () => {
  it('refuses a stale or missing version, and a first decision only at version 0', () => {
    expect(() => assertCurrentVersion(undefined, 1, 'plan-item/x')).toThrow(RecordNotFoundError);
    expect(() => assertCurrentVersion({ version: 2 }, 1, 'plan-item/x')).toThrow(VersionConflictError);
    expect(() => assertCurrentVersion({ version: 2 }, 2, 'plan-item/x')).not.toThrow();
    expect(() => assertDecisionVersion(undefined, 0, 'write-in/k')).not.toThrow();
    expect(() => assertDecisionVersion(undefined, 1, 'write-in/k')).toThrow(VersionConflictError);
    expect(() => assertDecisionVersion({ version: 1 }, 0, 'write-in/k')).toThrow(VersionConflictError);
  });

  it('a new password restarts its age and ends sessions; a role change does neither', () => {
    const user: StaffUser = {
      id: 'u_1',
      username: 'alice',
      role: 'editor',
      passwordHash: 'old',
      createdAt: 'a',
      passwordChangedAt: 'a',
      disabledAt: null,
      version: 3,
    };
    const at = new Date('2027-03-15T02:00:00Z');
    expect(changedStaffUser(user, { passwordHash: 'new' }, at)).toMatchObject({
      passwordHash: 'new',
      passwordChangedAt: at.toISOString(),
      version: 4,
    });
    expect(changedStaffUser(user, { role: 'admin' }, at)).toMatchObject({
      role: 'admin',
      passwordChangedAt: 'a',
      version: 4,
    });
    expect([
      changeEndsSessions({ passwordHash: 'x' }),
      changeEndsSessions({ disabledAt: 'now' }),
      changeEndsSessions({ role: 'admin' }),
    ]).toEqual([true, true, false]);
  });

  it('makes URL-safe plan ids and one write-in key format', () => {
    expect(planItemId('AbC_9-xY')).toBe('p-abc-9-xy');
    expect(writeInKey('b123', 2)).toBe('b123#2');
  });
});
