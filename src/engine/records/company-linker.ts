import { Injectable } from '@nestjs/common';
import { companyKey } from '../../core/validate/value-normalizers';
import { NewRecord, RecordsRepository } from './records.repository';

export interface LinkTarget {
  workspaceId: string;
  importId: string;
  dryRun: boolean;
  /** Company ids by key already read during this run: later batches read only keys new to the run. */
  known: Map<string, string>;
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
    const keys = [...firstRow.keys()].filter((k) => !t.known.has(k));
    // Most companies exist after the first batches: read first, insert only the missing ones.
    const found = await this.records.findByKeys(t.workspaceId, 'companies', keys);
    const ours = (c: { importId: string | null; sourceRow: number | null; key: string }) =>
      c.importId === t.importId && c.sourceRow === firstRow.get(c.key)?.sourceRow;
    // Created by an earlier attempt at this very batch: still this batch's creation.
    let created = t.dryRun ? 0 : found.filter(ours).length;
    const seen = new Set(found.map((c) => c.key));
    const missing = keys.filter((k) => !seen.has(k));
    if (t.dryRun) {
      created = missing.length;
      // Counted once per run: a dry run's later batches know these as would-be companies (no id).
      for (const k of missing) t.known.set(k, '');
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
    for (const c of found) t.known.set(c.key, c._id.toHexString());
    const idOf = t.known;
    const linked = docs.map((d) => {
      const name = d.fields.company;
      const id = typeof name === 'string' && name ? idOf.get(companyKey(name)) : undefined;
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
