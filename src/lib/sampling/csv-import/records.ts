/** Text → CSV records that know the physical lines they came from, for messages staff can act on. */
import { parse, CsvError } from 'csv-parse/sync';
import type { TableProblem } from '~/lib/publishing/spreadsheet/problems';
import type { SpreadsheetTable, TableRow } from '~/lib/publishing/spreadsheet/table';

const lineBreaks = (text: string): number => text.match(/\r\n|\r|\n/g)?.length ?? 0;

/**
 * Parses CSV text into records that know their physical lines.
 * csv-parse's own `info.lines` counts a CRLF inside a quoted cell as two lines, so lines are
 * counted here from the byte offsets it reports (`info.bytes`), which are exact.
 */
export function parseCsvRecords(text: string): { records: TableRow[]; problem?: TableProblem } {
  const bytes = new TextEncoder().encode(text);
  const decoder = new TextDecoder();
  const records: TableRow[] = [];
  let offset = 0;
  let line = 1;
  const consume = (end: number): { startLine: number; endLine: number } => {
    const chunk = decoder.decode(bytes.subarray(offset, end)).replace(/^\uFEFF/, '');
    const startLine = line;
    const endLine = startLine + lineBreaks(chunk.replace(/(\r\n|\r|\n)$/, ''));
    line += lineBreaks(chunk);
    offset = end;
    return { startLine, endLine };
  };
  try {
    parse(text, {
      bom: true,
      relax_column_count: true,
      // `12"显示器` in an unquoted cell is a measurement, not a quote.
      relax_quotes: true,
      skip_empty_lines: false,
      on_record: (cells: string[], context) => {
        const { startLine, endLine } = consume(context.bytes);
        records.push({ cells, line: startLine, endLine });
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const message =
      error.code === 'CSV_QUOTE_NOT_CLOSED' || error.code === 'CSV_INVALID_CLOSING_QUOTE'
        ? '双引号没有配对：从这一行起的引号一直没有正确结束，请检查这一行的引号（单元格内的引号要写成两个 ""）'
        : `无法读取这一行（${error.code}）`;
    return { records, problem: { line, code: 'CSV_SYNTAX', column: null, value: null, message } };
  }
  return { records };
}

/** CSV text → the table every spreadsheet becomes, its syntax problem kept to be reported with the rows'. */
export function csvTable(text: string): SpreadsheetTable {
  const { records, problem } = parseCsvRecords(text);
  return { format: 'csv', rows: records, readProblems: problem ? [problem] : [] };
}
