import { Injectable } from '@nestjs/common';
import { companyKey } from '../../core/validate/value-normalizers';
import { NewRecord, RecordsRepository } from './records.repository';
import { RunCompanies } from './run-companies';

export interface LinkTarget {
  workspaceId: string;
  importId: string;
  dryRun: boolean;
  /** What this run already read or counted: later batches read only keys new to the run. */
  known: RunCompanies;
}

/** A batch's contacts with their company id set, and how many companies the batch created. */
export interface LinkResult {
  docs: NewRecord[];
  created: number;
  /** Rows linked to a company (for a dry run: that would be). */
  linkedRows: Set<number>;
}

/**
 * Links clients and leads to the company of their `company` value, matched by the companies' duplicate
 * key (the normalized name). The companies are read by key; the missing ones are inserted (name only,
 * marked as created by the import) before the contacts, and the unique index, not the read, decides when
 * two imports create the same company at once. A batch retried after a crash finds the companies its
 * earlier attempt created (same import, same row) and still counts them as its own.
 */
@Injectable()
export class CompanyLinker {
  constructor(private readonly records: RecordsRepository) {}

  async link(t: LinkTarget, docs: readonly NewRecord[], now: Date): Promise<LinkResult> {
    const firstRow = new Map<string, NewRecord>();
    for (const d of docs) {
      const name = d.fields.company;
      if (typeof name !== 'string' || !name) continue;
      const key = companyKey(name);
      if (!firstRow.has(key)) firstRow.set(key, d);
    }
    if (!firstRow.size) return { docs: [...docs], created: 0, linkedRows: new Set() };
    t.known.startBatch();
    const keys = [...firstRow.keys()].filter((k) => !t.known.idOf(k) && !t.known.wasCounted(k));
    // Most companies exist after the first batches: read first, insert only the missing ones.
    const found = await this.records.findByKeys(t.workspaceId, 'companies', keys);
    const ours = (c: { importId: string | null; sourceRow: number | null; key: string }) =>
      c.importId === t.importId && c.sourceRow === firstRow.get(c.key)?.sourceRow;
    // Created by an earlier attempt at this very batch: still this batch's creation.
    let created = t.dryRun ? 0 : found.filter(ours).length;
    const seen = new Set(found.map((c) => c.key));
    const missing = keys.filter((k) => !seen.has(k));
    if (t.dryRun) {
      // Counted once per run: a dry run's later batches know these as would-be companies (no id).
      created = missing.filter((k) => t.known.countOnce(k)).length;
    } else if (missing.length) {
      const companies = missing.map((key) => ({
        key,
        fields: { name: String(firstRow.get(key)!.fields.company) },
        phoneE164: null,
        sourceRow: firstRow.get(key)!.sourceRow,
        autoCreated: true,
      }));
      // The unique index decides: a company another import created meanwhile is refused, and linked.
      const refused = await this.records.insertNew(t.workspaceId, 'companies', t.importId, companies, now);
      created += missing.length - refused.size;
      found.push(...(await this.records.findByKeys(t.workspaceId, 'companies', missing)));
    }
    for (const c of found) t.known.remember(c.key, c._id.toHexString());
    const linked = docs.map((d) => {
      const name = d.fields.company;
      const id = typeof name === 'string' && name ? t.known.idOf(companyKey(name)) : undefined;
      return id ? { ...d, companyId: id } : d;
    });
    const linkedRows = new Set(
      (t.dryRun
        ? docs.filter((d) => typeof d.fields.company === 'string' && d.fields.company)
        : linked.filter((d) => d.companyId)
      ).map((d) => d.sourceRow),
    );
    return { docs: linked, created, linkedRows };
  }
}
