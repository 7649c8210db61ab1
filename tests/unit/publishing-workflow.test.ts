import { describe, expect, it } from 'vitest';
import type { Announcement, Recall } from '../../src/lib/content-schemas';
import type { Publication, PublicationKind } from '../../src/lib/publishing/model';
import {
  addAttachment,
  approve,
  checkSchedule,
  discardCorrection,
  editDraft,
  newPublication,
  pendingCorrectionChanges,
  PUBLISHING_RIGHTS_OF_ROLE,
  publishingRightsOfToken,
  publishWhenDue,
  returnToEditing,
  SCHEDULE_HORIZON_DAYS,
  startCorrection,
  statusLabel,
  submitForReview,
  withdraw,
  type WorkflowActor,
  type WorkflowContext,
  type WorkflowStep,
} from '../../src/lib/publishing/workflow';
import { composeCorrectionNote, correctionChanges, sameContent } from '../../src/lib/publishing/changes';

// 10:00 on 2027-03-15 in Beijing.
const NOW = new Date('2027-03-15T02:00:00Z');
const twoPerson: WorkflowContext = { now: NOW, policy: 'two-person' };
const single: WorkflowContext = { now: NOW, policy: 'single' };

const editor: WorkflowActor = { name: 'wang', rights: PUBLISHING_RIGHTS_OF_ROLE.editor };
const reviewer: WorkflowActor = { name: 'li', rights: PUBLISHING_RIGHTS_OF_ROLE.reviewer };
const otherReviewer: WorkflowActor = { name: 'zhao', rights: PUBLISHING_RIGHTS_OF_ROLE.reviewer };

const announcementInput = {
  title: '2027年上海市电动自行车产品质量监督抽查结果公告（示例）',
  issuer: '上海市市场监督管理局',
  date: { text: '2027-03-10', iso: '2027-03-10', year: 2027 },
  category: '电动自行车',
  region: '上海市',
  stages: ['生产', '流通'],
  batches: { sampled: 12, failed: 2 },
  summary: '示例摘要。',
  failedProducts: [
    {
      productName: '电动自行车',
      brand: '飞鸽',
      modelSpec: 'TDT-1',
      batchOrDate: '2026-12',
      failedItems: [{ text: '最高车速' }],
    },
    { productName: '电动自行车', brand: '绿源', failedItems: [{ text: '整车质量' }] },
  ],
  source: { url: 'https://example.gov.cn/a.html' },
  firstPublishedAt: '1999-01-01',
  example: true,
};

const recallInput = {
  title: '某公司召回电热暖手器（示例）',
  date: { text: '2027-03-01', iso: '2027-03-01', year: 2027 },
  company: '上海某电器有限公司',
  product: '电热暖手器（型号：NST-60）',
  quantity: '1200 台',
  defect: '设计缺陷',
  hazard: '触电',
  remedy: '免费更换',
  region: '上海市',
  source: { url: 'https://example.gov.cn/r.html' },
  firstPublishedAt: '2027-01-01',
  example: true,
};

let nextId = 1;
/** What a store does on create: id, version, times. */
function stored<K extends PublicationKind>(kind: K, input: unknown, actor = editor): Publication {
  const made = newPublication(kind, input, actor, twoPerson, new Set());
  if (!made.ok) throw new Error(JSON.stringify(made.errors));
  const at = NOW.toISOString();
  return { ...made.publication, id: `p${nextId++}`, version: 1, createdAt: at, updatedAt: at } as Publication;
}

function next(step: WorkflowStep): Publication {
  if (!step.ok) throw new Error(`${step.code}: ${step.message}`);
  return step.next;
}

function refusal(step: WorkflowStep): string {
  if (step.ok) throw new Error(`expected a refusal, got ${step.action}`);
  return step.code;
}

function published(kind: PublicationKind = 'announcements', input: unknown = announcementInput): Publication {
  const submitted = next(submitForReview(stored(kind, input), editor, twoPerson));
  return next(approve(submitted, {}, reviewer, twoPerson));
}

function at(iso: string): WorkflowContext {
  return { now: new Date(iso), policy: 'two-person' };
}

describe('rights', () => {
  it('gives editors drafting only, reviewers and admins approval too', () => {
    expect(PUBLISHING_RIGHTS_OF_ROLE.editor).toEqual(['draft']);
    expect(PUBLISHING_RIGHTS_OF_ROLE.reviewer).toEqual(['draft', 'approve']);
    expect(PUBLISHING_RIGHTS_OF_ROLE.admin).toEqual(['draft', 'approve']);
  });

  it('lets a publish-scoped token approve only under single-person review', () => {
    expect(publishingRightsOfToken(['drafts:create', 'publish'], 'two-person')).toEqual(['draft']);
    expect(publishingRightsOfToken(['drafts:create', 'publish'], 'single')).toEqual(['draft', 'approve']);
    expect(publishingRightsOfToken(['drafts:create'], 'single')).toEqual(['draft']);
    expect(publishingRightsOfToken([], 'single')).toEqual([]);
  });

  it('refuses a new draft from an actor without the right to draft', () => {
    const made = newPublication('recalls', recallInput, { name: 'token:x', rights: [] }, twoPerson, new Set());
    expect(made.ok).toBe(false);
    expect(!made.ok && made.code).toBe('FORBIDDEN');
  });
});

describe('a new draft', () => {
  it('is in editing, prepared by its author, with a slug like the sample content', () => {
    const made = newPublication('announcements', announcementInput, editor, twoPerson, new Set());
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    expect(made.publication.slug).toBe('2027-shang-hai-shi-dian-dong-zi-xing-che');
    expect(made.publication.draft).toMatchObject({ stage: 'editing', preparedBy: 'wang', correctionNote: null });
    expect(made.publication.revisions).toEqual([]);
  });

  it('takes the next free slug when the kind already has it', () => {
    const taken = new Set(['2027-shang-hai-shi-dian-dong-zi-xing-che', '2027-shang-hai-shi-dian-dong-zi-xing-che-2']);
    const made = newPublication('announcements', announcementInput, editor, twoPerson, taken);
    expect(made.ok && made.publication.slug).toBe('2027-shang-hai-shi-dian-dong-zi-xing-che-3');
  });

  it('makes recall and explanation slugs from their facts', () => {
    const recall = newPublication('recalls', recallInput, editor, twoPerson, new Set());
    expect(recall.ok && recall.publication.slug).toBe('2027-shang-hai-mou-dian-qi-you-xian-gong-si');
    const explanation = newPublication(
      'explanations',
      { testItem: '甲醛含量', aliases: ['甲醛'], category: '纺织品', source: { url: 'https://example.gov.cn/e' } },
      editor,
      twoPerson,
      new Set(),
    );
    expect(explanation.ok && explanation.publication.slug).toBe('jia-quan-fang-zhi-pin');
  });

  it('reports every invalid field by its path, in Chinese', () => {
    const made = newPublication(
      'announcements',
      { ...announcementInput, title: '', batches: { sampled: 2, failed: 3 }, failedProducts: [{ productName: '' }] },
      editor,
      twoPerson,
      new Set(),
    );
    expect(made.ok).toBe(false);
    if (made.ok) return;
    expect(made.code).toBe('VALIDATION_FAILED');
    const fields = made.errors.map((error) => error.field);
    expect(fields).toContain('title');
    expect(fields).toContain('failedProducts.0.productName');
    expect(made.errors.find((error) => error.field === 'batches.failed')?.message).toBe(
      '不合格批次数不能大于抽查批次数',
    );
    for (const error of made.errors) expect(error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('review and publication', () => {
  it('publishes revision 1 when a second person approves, fixing firstPublishedAt to the Beijing day', () => {
    const late = at('2027-03-15T17:30:00Z'); // 01:30 on the 16th in Beijing
    const submitted = next(submitForReview(stored('announcements', announcementInput), editor, late));
    expect(submitted.draft).toMatchObject({ stage: 'in_review', submittedAt: '2027-03-15T17:30:00.000Z' });
    const step = approve(submitted, {}, reviewer, late);
    expect(step.ok && step.publicChange).toBe(true);
    const result = next(step);
    expect(result.draft).toBeNull();
    expect(result.revisions).toHaveLength(1);
    expect(result.revisions[0]).toMatchObject({
      number: 1,
      preparedBy: 'wang',
      approvedBy: 'li',
      correctionNote: null,
    });
    expect((result.revisions[0]!.data as Announcement).firstPublishedAt).toBe('2027-03-16');
    expect(statusLabel(result)).toBe('已发布');
  });

  it('refuses approval of a draft that was not submitted under two-person review', () => {
    expect(refusal(approve(stored('announcements', announcementInput), {}, reviewer, twoPerson))).toBe('WRONG_STAGE');
  });

  it('never lets anyone approve their own draft under two-person review', () => {
    const own = next(submitForReview(stored('announcements', announcementInput, reviewer), reviewer, twoPerson));
    expect(refusal(approve(own, {}, reviewer, twoPerson))).toBe('SELF_APPROVAL');
  });

  it('makes a reviewer who edits a draft its preparer, so they cannot approve it', () => {
    const edited = next(
      editDraft(stored('announcements', announcementInput), { data: announcementInput }, reviewer, twoPerson),
    );
    const submitted = next(submitForReview(edited, editor, twoPerson));
    expect(refusal(approve(submitted, {}, reviewer, twoPerson))).toBe('SELF_APPROVAL');
    expect(next(approve(submitted, {}, otherReviewer, twoPerson)).revisions[0]!.approvedBy).toBe('zhao');
  });

  it('refuses approval to an editor', () => {
    const submitted = next(submitForReview(stored('recalls', recallInput, reviewer), reviewer, twoPerson));
    expect(refusal(approve(submitted, {}, editor, twoPerson))).toBe('FORBIDDEN');
  });

  it('lets one person approve their own draft straight from editing under single review, recording no approver', () => {
    const own = stored('recalls', recallInput, reviewer);
    const result = next(approve(own, {}, reviewer, single));
    expect(result.revisions[0]).toMatchObject({ preparedBy: 'li', approvedBy: null });
  });

  it('does not let an edit change a draft waiting for review', () => {
    const submitted = next(submitForReview(stored('recalls', recallInput), editor, twoPerson));
    expect(refusal(editDraft(submitted, { data: recallInput }, editor, twoPerson))).toBe('WRONG_STAGE');
  });

  it('keeps firstPublishedAt out of the form’s hands', () => {
    const draft = stored('recalls', recallInput);
    expect((draft.draft!.data as Recall).firstPublishedAt).toBe('2027-03-15');
    const edited = next(
      editDraft(draft, { data: { ...recallInput, firstPublishedAt: '2001-01-01' } }, editor, twoPerson),
    );
    expect((edited.draft!.data as Recall).firstPublishedAt).toBe('2027-03-15');
  });
});

describe('return to editing (退回)', () => {
  it('sends a submitted draft back with its reason, which submitting again clears', () => {
    const submitted = next(submitForReview(stored('recalls', recallInput), editor, twoPerson));
    const returned = next(returnToEditing(submitted, '  请补充召回数量的来源。 ', reviewer, twoPerson));
    expect(returned.draft).toMatchObject({
      stage: 'editing',
      returnedReason: '请补充召回数量的来源。',
      submittedAt: null,
    });
    expect(next(submitForReview(returned, editor, twoPerson)).draft!.returnedReason).toBeNull();
  });

  it('requires a reason', () => {
    const submitted = next(submitForReview(stored('recalls', recallInput), editor, twoPerson));
    const step = returnToEditing(submitted, '   ', reviewer, twoPerson);
    expect(refusal(step)).toBe('REASON_REQUIRED');
    expect(!step.ok && step.errors[0]!.field).toBe('reason');
  });

  it('lets the preparer take back their own submission but not someone else’s', () => {
    const submitted = next(submitForReview(stored('recalls', recallInput), editor, twoPerson));
    expect(next(returnToEditing(submitted, '发现错字', editor, twoPerson)).draft!.stage).toBe('editing');
    const colleague: WorkflowActor = { name: 'chen', rights: PUBLISHING_RIGHTS_OF_ROLE.editor };
    expect(refusal(returnToEditing(submitted, '发现错字', colleague, twoPerson))).toBe('FORBIDDEN');
  });

  it('unschedules a scheduled draft', () => {
    const submitted = next(submitForReview(stored('recalls', recallInput), editor, twoPerson));
    const scheduled = next(approve(submitted, { scheduledFor: '2027-03-20T09:00:00+08:00' }, reviewer, twoPerson));
    const returned = next(returnToEditing(scheduled, '异议期延长', reviewer, twoPerson));
    expect(returned.draft).toMatchObject({ stage: 'editing', scheduledFor: null, approvedBy: null });
  });
});

describe('scheduled publication (定时发布)', () => {
  const submitted = () => next(submitForReview(stored('recalls', recallInput), editor, twoPerson));

  it('approves now and publishes when the time comes, not before', () => {
    const step = approve(submitted(), { scheduledFor: '2027-03-20T09:00:00+08:00' }, reviewer, twoPerson);
    expect(step.ok && step.publicChange).toBe(false);
    const scheduled = next(step);
    expect(scheduled.draft).toMatchObject({
      stage: 'scheduled',
      approvedBy: 'li',
      scheduledFor: '2027-03-20T01:00:00.000Z',
    });
    expect(statusLabel(scheduled)).toBe('已定时');
    expect(refusal(publishWhenDue(scheduled, { now: new Date('2027-03-20T00:59:59Z') }))).toBe('WRONG_STAGE');
    const result = next(publishWhenDue(scheduled, { now: new Date('2027-03-20T01:00:05Z') }));
    expect(result.revisions[0]).toMatchObject({ approvedBy: 'li', publishedAt: '2027-03-20T01:00:05.000Z' });
    expect((result.revisions[0]!.data as Recall).firstPublishedAt).toBe('2027-03-20');
    expect(refusal(publishWhenDue(result, { now: new Date('2027-03-21T00:00:00Z') }))).toBe('WRONG_STAGE');
  });

  it('refuses a time in the past, beyond the horizon, or without an offset', () => {
    expect(checkSchedule('2027-03-15T09:59:00+08:00', NOW).ok).toBe(false);
    expect(checkSchedule('2027-03-15T10:00:00+08:00', NOW).ok).toBe(false);
    expect(checkSchedule('2027-03-15T10:01:00+08:00', NOW).ok).toBe(true);
    const horizon = new Date(NOW.getTime() + SCHEDULE_HORIZON_DAYS * 86_400_000);
    expect(checkSchedule(horizon.toISOString(), NOW).ok).toBe(true);
    expect(checkSchedule(new Date(horizon.getTime() + 60_000).toISOString(), NOW).ok).toBe(false);
    expect(checkSchedule('2027-03-20T09:00', NOW).ok).toBe(false);
    expect(checkSchedule('明天上午', NOW).ok).toBe(false);
    const step = approve(submitted(), { scheduledFor: '2027-03-01T09:00:00+08:00' }, reviewer, twoPerson);
    expect(refusal(step)).toBe('SCHEDULE_INVALID');
    expect(!step.ok && step.errors[0]!.field).toBe('scheduledFor');
  });
});

describe('corrections (更正)', () => {
  it('start from the latest revision and leave the public revision untouched', () => {
    const live = published();
    const correcting = next(startCorrection(live, editor, twoPerson));
    expect(correcting.revisions).toEqual(live.revisions);
    expect(sameContent(correcting.draft!.data, live.revisions[0]!.data)).toBe(true);
    expect(statusLabel(correcting)).toBe('已发布（更正草稿）');
    expect(refusal(startCorrection(correcting, editor, twoPerson))).toBe('WRONG_STAGE');
  });

  it('must carry a 更正说明, whose message lists the changed numbers', () => {
    const live = published();
    const changed = { ...announcementInput, batches: { sampled: 13, failed: 2 } };
    const edited = next(
      editDraft(next(startCorrection(live, editor, twoPerson)), { data: changed }, editor, twoPerson),
    );
    expect(pendingCorrectionChanges(edited)).toEqual(['抽查批次 12 → 13']);
    const step = submitForReview(edited, editor, twoPerson);
    expect(refusal(step)).toBe('CORRECTION_NOTE_REQUIRED');
    expect(!step.ok && step.message).toContain('抽查批次 12 → 13');
  });

  it('refuses a correction that changes nothing', () => {
    const correcting = next(startCorrection(published(), editor, twoPerson));
    const noted = next(editDraft(correcting, { data: announcementInput, correctionNote: '核对' }, editor, twoPerson));
    expect(refusal(submitForReview(noted, editor, twoPerson))).toBe('NO_CHANGE');
  });

  it('becomes revision n+1 with the note and the listed changes, keeping firstPublishedAt and earlier revisions', () => {
    const live = published();
    const changed = {
      ...announcementInput,
      batches: { sampled: 13, failed: 3 },
      failedProducts: [
        ...announcementInput.failedProducts,
        { productName: '电动自行车', brand: '新日', failedItems: [{ text: '制动性能' }] },
      ],
    };
    const correcting = next(startCorrection(live, editor, at('2027-04-02T02:00:00Z')));
    const edited = next(
      editDraft(
        correcting,
        { data: changed, correctionNote: '补录一批次不合格产品。' },
        editor,
        at('2027-04-02T02:00:00Z'),
      ),
    );
    const submitted = next(submitForReview(edited, editor, at('2027-04-02T02:00:00Z')));
    const result = next(approve(submitted, {}, reviewer, at('2027-04-02T03:00:00Z')));
    expect(result.revisions.map((revision) => revision.number)).toEqual([1, 2]);
    expect(result.revisions[0]).toEqual(live.revisions[0]);
    expect(result.revisions[1]!.correctionNote).toBe(
      '补录一批次不合格产品。（更正内容：抽查批次 12 → 13；不合格批次 2 → 3；新增不合格产品「电动自行车（新日）」）',
    );
    expect((result.revisions[1]!.data as Announcement).firstPublishedAt).toBe('2027-03-15');
  });

  it('can be discarded while being written, leaving the published item as it was', () => {
    const live = published();
    const correcting = next(startCorrection(live, editor, twoPerson));
    const discarded = next(discardCorrection(correcting, editor));
    expect(discarded.draft).toBeNull();
    expect(discarded.revisions).toEqual(live.revisions);
    expect(refusal(discardCorrection(stored('recalls', recallInput), editor))).toBe('WRONG_STAGE');
  });
});

describe('the listed changes', () => {
  const base = announcementInput as unknown as Announcement;
  const normalised = newPublication('announcements', announcementInput, editor, twoPerson, new Set());
  const before = (normalised.ok ? normalised.publication.draft!.data : base) as Announcement;

  it('names a changed row field by field, and removed rows', () => {
    const after: Announcement = {
      ...before,
      failedProducts: [{ ...before.failedProducts[0]!, failedItems: [{ text: '最高车速（实测 32 km/h）' }] }],
    };
    expect(correctionChanges('announcements', before, after)).toEqual([
      '不合格产品「电动自行车（飞鸽）」：不合格项目 最高车速 → 最高车速（实测 32 km/h）',
      '删除不合格产品「电动自行车（绿源）」',
    ]);
  });

  it('treats a row whose brand was corrected as a changed row', () => {
    const after: Announcement = {
      ...before,
      failedProducts: [before.failedProducts[0]!, { ...before.failedProducts[1]!, brand: '绿源牌' }],
    };
    expect(correctionChanges('announcements', before, after)).toEqual([
      '不合格产品「电动自行车（绿源）」：商标 绿源 → 绿源牌',
    ]);
  });

  it('lists a recall’s quantity and date', () => {
    const recall = recallInput as unknown as Recall;
    expect(
      correctionChanges('recalls', recall, {
        ...recall,
        quantity: null,
        date: { text: null, iso: '2027-03-02', year: 2027 },
      }),
    ).toEqual(['召回日期 2027-03-01 → 2027-03-02', '召回数量 1200 台 → 未注明']);
  });

  it('spells out at most twenty changes in the public note', () => {
    const many = Array.from({ length: 25 }, (_, i) => `第${i}处`);
    const note = composeCorrectionNote('更正', many);
    expect(note).toContain('第19处');
    expect(note).not.toContain('第20处');
    expect(note).toContain('等 25 处');
    expect(composeCorrectionNote('更正错字', [])).toBe('更正错字');
  });

  it('compares contents whatever their key order', () => {
    expect(sameContent({ a: 1, b: [{ c: 2, d: null }] }, { b: [{ d: null, c: 2 }], a: 1 })).toBe(true);
    expect(sameContent({ a: 1 }, { a: 2 })).toBe(false);
  });
});

describe('withdrawal (撤回)', () => {
  it('keeps the public reason, drops a pending correction, and is final', () => {
    const correcting = next(startCorrection(published(), editor, twoPerson));
    const step = withdraw(correcting, '检验报告有误，待复检后重新发布。', reviewer, twoPerson);
    expect(step.ok && step.publicChange).toBe(true);
    const result = next(step);
    expect(result.withdrawal).toEqual({ reason: '检验报告有误，待复检后重新发布。', at: NOW.toISOString(), by: 'li' });
    expect(result.draft).toBeNull();
    expect(statusLabel(result)).toBe('已撤回');
    expect(refusal(startCorrection(result, editor, twoPerson))).toBe('WITHDRAWN');
    expect(refusal(withdraw(result, '再撤一次', reviewer, twoPerson))).toBe('WITHDRAWN');
  });

  it('needs the right to approve, a reason, and a published item', () => {
    expect(refusal(withdraw(published(), '原因', editor, twoPerson))).toBe('FORBIDDEN');
    expect(refusal(withdraw(published(), '', reviewer, twoPerson))).toBe('REASON_REQUIRED');
    expect(refusal(withdraw(stored('recalls', recallInput), '原因', reviewer, twoPerson))).toBe('WRONG_STAGE');
  });
});

describe('attachments', () => {
  const ref = {
    id: 'a1',
    fileName: '公告.pdf',
    mediaType: 'application/pdf',
    bytes: 10,
    sha256: 'x',
    uploadedAt: NOW.toISOString(),
    uploadedBy: 'wang',
  };

  it('may be added to a draft by an editor, to a published item only by a reviewer', () => {
    const draftStep = addAttachment(stored('recalls', recallInput), ref, editor);
    expect(draftStep.ok && draftStep.publicChange).toBe(false);
    expect(refusal(addAttachment(published('recalls', recallInput), ref, editor))).toBe('FORBIDDEN');
    const publicStep = addAttachment(published('recalls', recallInput), ref, reviewer);
    expect(publicStep.ok && publicStep.publicChange).toBe(true);
  });

  it('are limited in number', () => {
    let publication = stored('recalls', recallInput);
    for (let i = 0; i < 10; i++) publication = next(addAttachment(publication, { ...ref, id: `a${i}` }, editor));
    expect(refusal(addAttachment(publication, ref, editor))).toBe('VALIDATION_FAILED');
  });
});
