import { KeyTable } from '../../core/dedupe/key-table';
import type { RecordType } from '../../core/record-type';
import { charsOf, clipCells, clipText, ReportCaps } from '../../core/report/report-cells';
import { CompiledMapping, RecordFields, validateRow, ValidRow } from '../../core/validate/row-validator';
import { domainOf } from '../records/company-domain-matcher';

/** A row on its way to the database; `cells` are only what the report keeps of it. */
export type Pending =
  | { row: number; cells: readonly string[]; skip: string }
  | { row: number; cells: readonly string[]; skip: null; valid: ValidRow };

/**
 * Decides each row of one run, in file order: valid and first of its key (to be written), or skipped
 * with the reason. Rows before a resumed run's checkpoint go through it too, only to rebuild the
 * in-file duplicate tables.
 */
export class RowJudge {
  private readonly table = new KeyTable();
  /** Companies are one per website domain as well as per name: the first row with a domain holds it. */
  private readonly domainTable: KeyTable | null;

  constructor(
    type: RecordType,
    private readonly mapping: CompiledMapping,
    private readonly country: string,
    private readonly report: ReportCaps,
  ) {
    this.domainTable = type === 'companies' ? new KeyTable() : null;
  }

  verdict(row: number, cells: string[]): Pending {
    const result = validateRow(cells, this.mapping, this.country);
    if (!result.ok) return this.skipped(row, cells, result.reason);
    const first = this.table.firstRowOf(result.key, row);
    if (first !== undefined) return this.skipped(row, cells, `duplicate of row ${first}`);
    const domain = this.domainTable && domainOf(result.fields);
    const sameSite = domain ? this.domainTable!.firstRowOf(domain, row) : undefined;
    if (sameSite !== undefined) {
      return this.skipped(row, cells, `duplicate of row ${sameSite} (same website domain "${domain}")`);
    }
    return { row, cells: clipCells(cells, this.report), skip: null, valid: result };
  }

  /** A skipped row keeps only what the report shows of it; reasons quote values, so they are cut too. */
  skipped(row: number, cells: readonly string[], reason: string): Pending {
    return { row, cells: clipCells(cells, this.report), skip: clipText(reason, this.report.rowChars) };
  }
}

/** Characters a pending row holds: its kept cells and, when valid, its field values. */
export function charsOfPending(p: Pending): number {
  if (p.skip !== null) return charsOf(p.cells);
  return charsOf(p.cells) + charsOfFields(p.valid.fields) + charsOf(Object.values(p.valid.custom ?? {}));
}

function charsOfFields(fields: RecordFields): number {
  let total = 0;
  for (const value of Object.values(fields)) {
    if (typeof value === 'string') total += value.length;
    else if (Array.isArray(value)) total += charsOf(value);
    else total += 8;
  }
  return total;
}
