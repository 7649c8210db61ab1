/** What the importer reports: a problem and the CSV lines it is on, in the words staff read. */

/** A problem with the input. `line` is the CSV's physical line (header = 1); null for the metadata. */
export interface ImportProblem {
  line: number | null;
  /** Last line of a record whose quoted cells span several lines. */
  endLine?: number;
  message: string;
}

export function formatProblem(problem: ImportProblem): string {
  if (problem.line === null) return problem.message;
  const where =
    problem.endLine !== undefined && problem.endLine !== problem.line
      ? `第 ${problem.line}–${problem.endLine} 行`
      : `第 ${problem.line} 行`;
  return `${where}：${problem.message}`;
}
