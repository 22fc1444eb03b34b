import type { AssertionResult, RunReport } from '../contract/run-report.js';
import type { SuccessMarker } from '../warehouse/versions.js';

/** A published version, or a run whose error-severity assertion failed (staged under `_runs/`). */
export type ReportStatus = 'published' | 'failed';

/** Everything the HTML run report is rendered from: the files a version directory carries. */
export interface RunReportInput {
  report: RunReport;
  assertions: AssertionResult[];
  /** `_SUCCESS`; a failed run has none. */
  marker?: SuccessMarker;
  status: ReportStatus;
}
