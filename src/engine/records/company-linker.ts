import { Injectable } from '@nestjs/common';
import { companyKey } from '../../core/validate/value-normalizers';
import { NewRecord, RecordsRepository } from './records.repository';

export interface LinkTarget {
  workspaceId: string;
  importId: string;
  dryRun: boolean;
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
 * key (the normalized name). Missing companies are inserted first (name only, marked as created by the
 * import): the unique index decides when two imports create the same company at once, and a batch
 * retried after a crash finds the companies its earlier attempt created (same import, same row).
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
    const keys = [...firstRow.keys()];
    let created: number;
    if (t.dryRun) {
      created = keys.length;
    } else {
      const companies = keys.map((key) => ({
        key,
        fields: { name: String(firstRow.get(key)!.fields.company) },
        phoneE164: null,
        sourceRow: firstRow.get(key)!.sourceRow,
        autoCreated: true,
      }));
      const refused = await this.records.insertNew(t.workspaceId, 'companies', t.importId, companies, now);
      created = keys.length - refused.size;
      for (const owner of await this.records.owners(t.workspaceId, 'companies', [...refused])) {
        const ours = owner.importId === t.importId && owner.sourceRow === firstRow.get(owner.key)?.sourceRow;
        if (ours) created++;
      }
    }
    const found = await this.records.findByKeys(t.workspaceId, 'companies', keys);
    if (t.dryRun) created -= found.length;
    const idOf = new Map(found.map((c) => [c.key, c._id.toHexString()]));
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
