/**
 * What a machine client sends to create an announcement draft, and the problems it is answered
 * with: the announcement's facts (the `content/` shape without the failed products and without
 * firstPublishedAt, which the portal sets at publication) and its failed products, either as JSON
 * rows or as a spreadsheet file. The rows obey the admin's rules (lib/publishing/spreadsheet).
 */
import { z } from 'zod';
import type { FieldError } from '~/lib/admin/forms';
import { columnMappingSchema, type ColumnMapping } from './spreadsheet/columns';
import type { FormRow } from './spreadsheet/form-rows';
import { formatProblem, type TableProblem } from './spreadsheet/problems';
import { TABLE_LIMITS } from './spreadsheet/table';
import type { UnknownExplanationLink } from './explanation-match';
import type { Publication } from './model';

/** One entry of a 422 answer's `problems`: machine-readable, with the sentence staff would read. */
export interface SubmissionProblem {
  code: string;
  message: string;
  /** The table's row (sheet row, CSV line, or 1-based index of `failedProducts`); null for the facts. */
  row: number | null;
  column: string | null;
  value: string | null;
  /** The facts' field path (`date.iso`, `batches.failed`); null for a row's problem. */
  field: string | null;
}

export function tableProblem(problem: TableProblem): SubmissionProblem {
  return {
    code: problem.code,
    message: formatProblem(problem),
    row: problem.line,
    column: problem.column,
    value: problem.value,
    field: null,
  };
}

export function factProblem(error: FieldError): SubmissionProblem {
  return {
    code: 'FIELD_INVALID',
    message: `${error.field}：${error.message}`,
    row: null,
    column: null,
    value: null,
    field: error.field,
  };
}

export function unknownExplanationProblem(link: UnknownExplanationLink): SubmissionProblem {
  const row = link.product + 1;
  return {
    code: 'EXPLANATION_UNKNOWN',
    message: `第 ${row} 行：不合格项目「${link.item}」链接的解读“${link.slug}”不存在`,
    row,
    column: '不合格项目',
    value: link.slug,
    field: null,
  };
}

const nullableText = z.string().max(TABLE_LIMITS.charsPerCell).nullable().optional();

const jsonRowSchema = z.object({
  productName: nullableText,
  brand: nullableText,
  modelSpec: nullableText,
  batchOrDate: nullableText,
  manufacturer: nullableText,
  sampledUnit: nullableText,
  inspectionBody: nullableText,
  failedItems: z
    .union([
      z.string().max(TABLE_LIMITS.charsPerCell),
      z
        .array(
          z.object({
            text: z.string().max(TABLE_LIMITS.charsPerCell),
            explanation: z.string().min(1).max(200).optional(),
          }),
        )
        .max(100),
    ])
    .optional(),
}) satisfies z.ZodType<FormRow>;

/** What the portal sets itself: a client that sends it is told, not silently overruled. */
const PORTAL_FIELDS = ['firstPublishedAt'] as const;

const envelope = {
  /** Publish at once (scope `publish`, single-person review only); otherwise the draft waits for review. */
  publish: z.boolean({ error: 'publish 只能是 true 或 false' }).default(false),
};

/** The JSON body: facts, `failedProducts` rows and the publish flag in one object. */
export const jsonSubmissionSchema = z
  .looseObject({
    ...envelope,
    failedProducts: z
      .array(jsonRowSchema, { error: 'failedProducts 应是不合格产品的数组' })
      .max(TABLE_LIMITS.rows, `failedProducts 最多 ${TABLE_LIMITS.rows} 行`),
  })
  .superRefine((body, context) => {
    for (const field of PORTAL_FIELDS) {
      if (field in body)
        context.addIssue({ code: 'custom', path: [field], message: '由本站在首次发布时填写，请不要提交' });
    }
  });

/** The `facts` part of a multipart body: the facts, the publish flag and the column mapping of the file. */
export const factsPartSchema = z
  .looseObject({ ...envelope, columnMapping: columnMappingSchema.optional() })
  .superRefine((body, context) => {
    for (const field of [...PORTAL_FIELDS, 'failedProducts']) {
      if (field in body) {
        context.addIssue({
          code: 'custom',
          path: [field],
          message:
            field === 'failedProducts'
              ? '不合格产品已在上传的表格里，facts 里不要再写'
              : '由本站在首次发布时填写，请不要提交',
        });
      }
    }
  });

export interface Submission {
  facts: Record<string, unknown>;
  publish: boolean;
  rows: FormRow[] | null;
  columnMapping: ColumnMapping;
}

/** The parts of a validated body: what the announcement's facts are, apart from the envelope. */
export function splitSubmission(
  body: z.output<typeof jsonSubmissionSchema> | z.output<typeof factsPartSchema>,
): Submission {
  const { publish, ...rest } = body;
  const { failedProducts, columnMapping, ...facts } = rest as Record<string, unknown> & {
    failedProducts?: FormRow[];
    columnMapping?: ColumnMapping;
  };
  return { facts, publish, rows: failedProducts ?? null, columnMapping: columnMapping ?? {} };
}

/** Zod issues of the envelope as problems, by field path. */
export function envelopeProblems(issues: readonly z.core.$ZodIssue[]): SubmissionProblem[] {
  return issues.map((issue) =>
    factProblem({ field: issue.path.map(String).join('.') || '（请求体）', message: issue.message }),
  );
}

export const SUBMISSION_STATUSES = ['editing', 'in_review', 'scheduled', 'published', 'withdrawn'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** Where the announcement stands, as the status answer names it: its working copy's stage first. */
export function submissionStatus(publication: Publication): SubmissionStatus {
  if (publication.withdrawal) return 'withdrawn';
  return publication.draft?.stage ?? 'published';
}
