import path from 'node:path';
import { DATASET } from '../contract/manifest.js';

/** Every path of the warehouse layout (SPEC section 6) is made here and nowhere else. */
export class WarehouseLayout {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  static fromOption(option: string | undefined): WarehouseLayout {
    return new WarehouseLayout(option ?? process.env['SETTLE_WAREHOUSE'] ?? './warehouse');
  }

  get datasetDir(): string {
    return path.join(this.root, DATASET);
  }

  dateDir(settlementDate: string): string {
    return path.join(this.datasetDir, `date=${settlementDate}`);
  }

  versionDir(settlementDate: string, version: string): string {
    return path.join(this.dateDir(settlementDate), version);
  }

  pointer(settlementDate: string): string {
    return path.join(this.dateDir(settlementDate), 'CURRENT');
  }

  history(settlementDate: string): string {
    return path.join(this.dateDir(settlementDate), '_history.jsonl');
  }

  get lockFile(): string {
    return path.join(this.datasetDir, '.publish.lock');
  }

  get runsDir(): string {
    return path.join(this.root, '_runs');
  }

  runDir(manifestSha: string): string {
    return path.join(this.runsDir, manifestSha);
  }

  get trashDir(): string {
    return path.join(this.runsDir, '_trash');
  }
}

/** Files inside a version directory. */
export const versionFiles = {
  data: 'data',
  rejects: 'rejects',
  manifest: '_manifest.json',
  dq: '_dq.json',
  report: '_run_report.json',
  success: '_SUCCESS',
  /** The HTML run report (src/report), rendered from _run_report.json, _dq.json and _SUCCESS. */
  html: 'report.html',
} as const;
