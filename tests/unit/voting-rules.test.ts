import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ballotInputFromForm, checkBallot, characterCount } from '../../src/lib/voting/ballot-rules';
import { campaignSchema, campaignStatus, isTallyVisible, type Campaign } from '../../src/lib/voting/campaign-schema';
import { DISTRICTS } from '../../src/lib/voting/districts';
import { eventCodeFromBytes, isEventActive, normaliseEventCode } from '../../src/lib/voting/event-code';
import { VOTING_MESSAGES, VOTING_STATUS, votingMessage } from '../../src/lib/voting/messages';

const campaign: Campaign = campaignSchema.parse({
  id: 'test',
  title: '测试',
  description: '测试征集',
  opensAt: '2027-01-01T09:00:00+08:00',
  closesAt: '2027-02-01T18:00:00+08:00',
  candidates: [
    { id: 'tou-kui', name: '头盔', reason: '吸收碰撞能量不合格' },
    { id: 'yan-jing', name: '眼镜', reason: '顶焦度偏差' },
    { id: 'cha-zuo', name: '插头插座', reason: '温升超标' },
  ],
  maxChoices: 2,
  tallyPublic: false,
});

describe('checkBallot', () => {
  it('accepts choices with a district and normalises the event code', () => {
    const result = checkBallot({ choices: ['tou-kui'], district: '青浦区', event: ' k7m2qx ' }, campaign);
    expect(result).toEqual({
      ok: true,
      ballot: { choices: ['tou-kui'], writeIns: [], district: '青浦区', event: 'K7M2QX' },
    });
  });

  it.each([
    [{ choices: ['nope'] }, 'UNKNOWN_CANDIDATE'],
    [{ choices: ['tou-kui', 'tou-kui'] }, 'DUPLICATE_CHOICE'],
    [{ choices: ['tou-kui', 'yan-jing', 'cha-zuo'] }, 'TOO_MANY_CHOICES'],
    [{ choices: [] }, 'EMPTY_BALLOT'],
    [{}, 'EMPTY_BALLOT'],
    [{ choices: ['tou-kui'], district: '北京市' }, 'UNKNOWN_DISTRICT'],
    [{ choices: 'tou-kui' }, 'INVALID_BALLOT'],
    [{ writeIns: [{ product: '', issue: '漏电' }] }, 'INVALID_WRITE_IN'],
    [{ writeIns: [{ product: '水杯', issue: '   ' }] }, 'INVALID_WRITE_IN'],
    [{ writeIns: [{ product: '水'.repeat(41), issue: '有异味' }] }, 'INVALID_WRITE_IN'],
    [{ writeIns: [{ product: '水杯', issue: '味'.repeat(201) }] }, 'INVALID_WRITE_IN'],
    [{ writeIns: [{ product: '水杯', issue: '有异味', venue: '店'.repeat(101) }] }, 'INVALID_WRITE_IN'],
    [{ writeIns: Array.from({ length: 4 }, () => ({ product: '水杯', issue: '有异味' })) }, 'INVALID_WRITE_IN'],
    [{ writeIns: 'x' }, 'INVALID_WRITE_IN'],
  ])('%j → %s', (body, code) => {
    expect(checkBallot(body, campaign)).toEqual({ ok: false, code });
  });

  it('accepts write-ins at their limits, counting characters not UTF-16 units', () => {
    const product = '𠀀'.repeat(40);
    expect(product.length).toBe(80);
    expect(characterCount(product)).toBe(40);
    const result = checkBallot({ writeIns: [{ product, issue: '问'.repeat(200), venue: '' }] }, campaign);
    expect(result.ok && result.ballot.writeIns).toEqual([{ product, issue: '问'.repeat(200), venue: null }]);
  });

  it('every district of the list is accepted', () => {
    expect(DISTRICTS).toHaveLength(17);
    for (const district of DISTRICTS) expect(checkBallot({ choices: ['tou-kui'], district }, campaign).ok).toBe(true);
  });
});

describe('ballotInputFromForm', () => {
  it('reads repeated choices and numbered write-in rows, skipping empty rows', () => {
    const form = new URLSearchParams(
      'choices=tou-kui&choices=yan-jing&product1=&issue1=&venue1=&product2=水杯&issue2=有异味&venue2=&district=徐汇区&event=',
    );
    const input = ballotInputFromForm(form);
    expect(input).toEqual({
      choices: ['tou-kui', 'yan-jing'],
      writeIns: [{ product: '水杯', issue: '有异味', venue: '' }],
      district: '徐汇区',
      event: '',
    });
    expect(checkBallot(input, campaign)).toMatchObject({ ok: true, ballot: { district: '徐汇区', event: null } });
  });
});

describe('campaign status and tally visibility', () => {
  it('is upcoming before, open from the opening instant, closed from the closing instant', () => {
    expect(campaignStatus(campaign, new Date('2027-01-01T00:59:59Z'))).toBe('upcoming');
    expect(campaignStatus(campaign, new Date('2027-01-01T01:00:00Z'))).toBe('open');
    expect(campaignStatus(campaign, new Date('2027-02-01T09:59:59Z'))).toBe('open');
    expect(campaignStatus(campaign, new Date('2027-02-01T10:00:00Z'))).toBe('closed');
  });

  it('hides a private tally while open and shows it after the close', () => {
    expect(isTallyVisible(campaign, new Date('2027-01-15T00:00:00Z'))).toBe(false);
    expect(isTallyVisible(campaign, new Date('2027-03-01T00:00:00Z'))).toBe(true);
    expect(isTallyVisible({ ...campaign, tallyPublic: true }, new Date('2027-01-15T00:00:00Z'))).toBe(true);
  });

  it('rejects a campaign without offsets or closing before it opens', () => {
    expect(campaignSchema.safeParse({ ...campaign, opensAt: '2027-01-01T09:00:00' }).success).toBe(false);
    expect(campaignSchema.safeParse({ ...campaign, closesAt: '2026-01-01T09:00:00+08:00' }).success).toBe(false);
    expect(campaignSchema.safeParse({ ...campaign, maxChoices: 4 }).success).toBe(false);
  });

  it('the sample campaigns parse and are marked 示例', () => {
    const folder = join(import.meta.dirname, '..', '..', 'content', 'campaigns');
    const files = readdirSync(folder).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const name of files) {
      const parsed = campaignSchema.parse(JSON.parse(readFileSync(join(folder, name), 'utf8')));
      expect(`${parsed.id}.json`).toBe(name);
      expect(parsed.title).toContain('示例');
      expect(parsed.example).toBe(true);
    }
  });
});

describe('event codes', () => {
  it('uses only unambiguous characters and normalises input', () => {
    const code = eventCodeFromBytes(new Uint8Array([0, 1, 2, 3, 30, 255]));
    expect(code).toMatch(/^[A-HJ-KMNP-Z2-9]{6}$/);
    expect(normaliseEventCode(code.toLowerCase())).toBe(code);
    expect(normaliseEventCode('ABCDE0')).toBeNull();
    expect(normaliseEventCode('ABC')).toBeNull();
  });

  it('is active inside its window only', () => {
    const event = { activeFrom: '2027-03-15T09:00:00+08:00', activeUntil: '2027-03-15T12:00:00+08:00' };
    expect(isEventActive(event, new Date('2027-03-15T00:59:00Z'))).toBe(false);
    expect(isEventActive(event, new Date('2027-03-15T01:00:00Z'))).toBe(true);
    expect(isEventActive(event, new Date('2027-03-15T04:00:00Z'))).toBe(false);
  });
});

describe('messages', () => {
  it('has a Chinese sentence and a status for every code', () => {
    for (const [code, message] of Object.entries(VOTING_MESSAGES)) {
      expect(message).toMatch(/[\u4e00-\u9fff]/);
      expect(VOTING_STATUS[code as keyof typeof VOTING_STATUS]).toBeGreaterThanOrEqual(400);
    }
    expect(votingMessage('NOT_A_CODE')).toBe(VOTING_MESSAGES.INTERNAL_ERROR);
    expect(votingMessage('ALREADY_VOTED')).toBe(VOTING_MESSAGES.ALREADY_VOTED);
  });
});
