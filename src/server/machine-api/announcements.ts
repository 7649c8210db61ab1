/**
 * POST /api/v1/announcements and GET /api/v1/announcements/{id}: the bureau's systems create an
 * announcement draft with its failed products (JSON rows, or the spreadsheet staff would upload),
 * checked by the same rules as the admin, and follow it through review. Every problem is answered
 * at once (422) and nothing is saved until there is none.
 */
import type { FailedProduct } from '~/lib/content-schemas';
import { ADMIN_STATUS } from '~/lib/admin/messages';
import { hasScope } from '~/lib/publishing/api-tokens';
import { linkFailedItems } from '~/lib/publishing/explanation-match';
import {
  envelopeProblems,
  factProblem,
  factsPartSchema,
  jsonSubmissionSchema,
  splitSubmission,
  submissionStatus,
  tableProblem,
  unknownExplanationProblem,
  type Submission,
  type SubmissionProblem,
} from '~/lib/publishing/machine-submission';
import type { Publication } from '~/lib/publishing/model';
import { validateFormRows } from '~/lib/publishing/spreadsheet/form-rows';
import { readFailedProducts } from '~/lib/publishing/spreadsheet/rows';
import { parseContent } from '~/lib/publishing/workflow';
import { beijingIsoDay } from '~/lib/time/beijing';
import { paths } from '~/paths';
import { now } from '~/server/clock';
import { CLOSE_CONNECTION, mediaType, readBytesWithLimit, readMultipartWithLimit } from '~/server/http/body';
import { edgeError, errorJson, json } from '~/server/http/json';
import { explanationCandidates } from '~/server/publishing/explanation-candidates';
import { publishingService } from '~/server/publishing/instance';
import { readSpreadsheetFile, SPREADSHEET_LIMITS } from '~/server/publishing/spreadsheet-file';
import type { PublishingResult } from '~/server/publishing/service';
import { getStore } from '~/server/store/instance';
import { auditUse, machineError, requireToken, tokenActor } from './tokens';

/** 5,000 rows of JSON fit in well under this. */
export const JSON_SUBMISSION_LIMIT_BYTES = 2 * 1024 * 1024;
/** The spreadsheet's own limit plus the facts part and the multipart framing. */
export const MULTIPART_SUBMISSION_LIMIT_BYTES = SPREADSHEET_LIMITS.bytes + 256 * 1024;

const ROUTE = '/api/v1/announcements';

type Read = { ok: true; submission: Submission; products: FailedProduct[] | null } | { ok: false; response: Response };

const invalid = (problems: SubmissionProblem[]): Response => machineError('SUBMISSION_INVALID', { problems });

function tooLarge(): Response {
  return edgeError('PAYLOAD_TOO_LARGE', CLOSE_CONNECTION);
}

async function readJsonSubmission(request: Request): Promise<Read> {
  const body = await readBytesWithLimit(request, JSON_SUBMISSION_LIMIT_BYTES);
  if (!body.ok) return { ok: false, response: tooLarge() };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.bytes.toString('utf8'));
  } catch {
    return { ok: false, response: edgeError('INVALID_JSON') };
  }
  const result = jsonSubmissionSchema.safeParse(parsed);
  if (!result.success) return { ok: false, response: invalid(envelopeProblems(result.error.issues)) };
  return { ok: true, submission: splitSubmission(result.data), products: null };
}

async function readMultipartSubmission(request: Request): Promise<Read> {
  const read = await readMultipartWithLimit(request, MULTIPART_SUBMISSION_LIMIT_BYTES);
  if (!read.ok) {
    if (read.code === 'PAYLOAD_TOO_LARGE') return { ok: false, response: tooLarge() };
    return { ok: false, response: edgeError(read.code) };
  }
  const factsPart = read.form.get('facts');
  const file = read.form.get('file');
  const factsText = typeof factsPart === 'string' ? factsPart : factsPart ? await factsPart.text() : null;
  const problems: SubmissionProblem[] = [];
  if (!(file instanceof File))
    problems.push(factProblem({ field: 'file', message: '缺少 file 部分：不合格产品表（.xlsx 或 .csv）' }));
  let facts: unknown = null;
  if (factsText === null)
    problems.push(factProblem({ field: 'facts', message: '缺少 facts 部分：公告的基本信息（JSON）' }));
  else {
    try {
      facts = JSON.parse(factsText);
    } catch {
      problems.push(factProblem({ field: 'facts', message: 'facts 部分不是有效的 JSON' }));
    }
  }
  if (problems.length > 0 || !(file instanceof File)) return { ok: false, response: invalid(problems) };
  const parsed = factsPartSchema.safeParse(facts);
  if (!parsed.success) return { ok: false, response: invalid(envelopeProblems(parsed.error.issues)) };
  const submission = splitSubmission(parsed.data);
  const sheet = await readSpreadsheetFile(new Uint8Array(await file.arrayBuffer()));
  if (!sheet.ok) {
    return {
      ok: false,
      response: machineError('SPREADSHEET_REFUSED', {
        problems: [{ code: sheet.code, message: sheet.message, row: null, column: null, value: null, field: 'file' }],
      }),
    };
  }
  const reading = readFailedProducts(sheet.table, { columnMapping: submission.columnMapping });
  if (!reading.ok) {
    return {
      ok: false,
      response: invalid([...factsProblems(submission), ...reading.problems.map(tableProblem)]),
    };
  }
  return { ok: true, submission, products: reading.rows };
}

/** The facts checked by the content schema on their own, so their problems come with the rows'. */
function factsProblems(submission: Submission): SubmissionProblem[] {
  const checked = parseContent('announcements', { ...submission.facts, failedProducts: [] }, beijingIsoDay(now()));
  return checked.ok ? [] : checked.errors.map(factProblem);
}

function serviceFailure(result: Extract<PublishingResult, { ok: false }>): Response {
  if (result.code === 'VALIDATION_FAILED') return invalid(result.errors.map(factProblem));
  return errorJson(result.code, result.message, ADMIN_STATUS[result.code]);
}

function statusBody(publication: Publication, origin: string) {
  const status = submissionStatus(publication);
  const published = publication.revisions.length > 0 && !publication.withdrawal;
  return {
    id: publication.id,
    slug: publication.slug,
    status,
    version: publication.version,
    revisions: publication.revisions.length,
    adminUrl: new URL(paths.adminPublication('announcements', publication.id), origin).href,
    statusUrl: new URL(paths.apiV1Announcement(publication.id), origin).href,
    publicUrl: published ? new URL(paths.announcement(publication.slug), origin).href : null,
    withdrawalReason: publication.withdrawal?.reason ?? null,
    updatedAt: publication.updatedAt,
  };
}

export async function createAnnouncement(request: Request, origin: string): Promise<Response> {
  const auth = await requireToken(request, 'drafts:create', ROUTE);
  if (!auth.ok) return auth.response;
  const { token } = auth;
  const actor = { token };
  const answer = async (response: Response, detail: string) => {
    await auditUse({
      actor: tokenActor(token),
      action: 'api.announcement.create',
      target: `POST ${ROUTE}`,
      outcome: response.status < 300 ? 'ok' : 'denied',
      detail: `${response.status} ${detail}`,
    });
    return response;
  };

  const type = mediaType(request);
  let read: Read;
  if (type === 'application/json') read = await readJsonSubmission(request);
  else if (type === 'multipart/form-data') read = await readMultipartSubmission(request);
  else return answer(edgeError('UNSUPPORTED_MEDIA_TYPE'), type || '无 Content-Type');
  if (!read.ok) return answer(read.response, '提交有误');
  const { submission } = read;
  if (submission.publish && !hasScope(token, 'publish')) {
    return answer(machineError('SCOPE_MISSING', { scope: 'publish' }), '缺少权限 publish');
  }

  const problems = factsProblems(submission);
  let products = read.products;
  if (!products) {
    const rows = validateFormRows(submission.rows ?? []);
    if (rows.ok) products = rows.rows;
    else problems.push(...rows.problems.map(tableProblem));
  }
  const category = typeof submission.facts.category === 'string' ? submission.facts.category : '';
  const linked = products ? linkFailedItems(products, category, await explanationCandidates(await getStore())) : null;
  if (linked) problems.push(...linked.unknown.map(unknownExplanationProblem));
  if (problems.length > 0 || !linked) return answer(invalid(problems), `${problems.length} 处问题`);

  const service = await publishingService();
  const created = await service.createDraft(actor, 'announcements', {
    ...submission.facts,
    failedProducts: linked.products,
  });
  if (!created.ok) return answer(serviceFailure(created), created.code);
  const { publication } = created;
  // A machine is never the second person of a two-person review: there, or without the publish
  // flag, the draft goes to the review queue.
  const direct = submission.publish && service.policy === 'single';
  const next = direct
    ? await service.approve(actor, publication.id, publication.version)
    : await service.submitForReview(actor, publication.id, publication.version);
  const final = next.ok ? next.publication : publication;
  const body = {
    ...statusBody(final, origin),
    ...(submission.publish && !direct
      ? { notice: '本站实行双人审核，接口不能直接发布：草稿已提交审核，由审核人审核通过后发布。' }
      : {}),
    ...(next.ok ? {} : { notice: `草稿已保存，但未能${direct ? '发布' : '提交审核'}：${next.message}` }),
  };
  return answer(json(body, 201, { location: body.statusUrl }), `${final.id} ${body.status}`);
}

export async function announcementStatus(request: Request, id: string, origin: string): Promise<Response> {
  const auth = await requireToken(request, 'drafts:create', `${ROUTE}/{id}`);
  if (!auth.ok) return auth.response;
  const publication = await (await getStore()).publications.get(id);
  // A token sees what it submitted, never the rest of the store.
  const own = publication?.kind === 'announcements' && publication.createdBy === tokenActor(auth.token);
  await auditUse({
    actor: tokenActor(auth.token),
    action: 'api.announcement.status',
    target: `GET ${ROUTE}/{id}`,
    outcome: own ? 'ok' : 'denied',
    detail: own ? null : '不存在或非本令牌提交',
  });
  if (!publication || !own) return machineError('NOT_FOUND');
  return json(statusBody(publication, origin));
}
