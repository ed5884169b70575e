import { Injectable } from '@nestjs/common';
import { companyKey } from '../../core/validate/value-normalizers';
import { CompanyDomainMatcher, domainOf } from './company-domain-matcher';
import { ExistingRecord, NewRecord, RecordsRepository } from './records.repository';
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
 * key (the normalized name), or by the row's website domain when the name is new and the domain belongs
 * to a company. A company created for a row with a website claims the website's domain. The companies are read by key; the missing ones are inserted (name only,
 * marked as created by the import) before the contacts, and the unique index, not the read, decides when
 * two imports create the same company at once. A batch retried after a crash finds the companies its
 * earlier attempt created (same import, same row) and still counts them as its own.
 */
@Injectable()
export class CompanyLinker {
  constructor(
    private readonly records: RecordsRepository,
    private readonly domains: CompanyDomainMatcher,
  ) {}

  async link(t: LinkTarget, docs: readonly NewRecord[], now: Date): Promise<LinkResult> {
    const firstRow = new Map<string, NewRecord>();
    const domainOfKey = new Map<string, string>();
    const keys = docs.map(companyKeyOf);
    for (const [i, d] of docs.entries()) {
      const key = keys[i];
      if (!key) continue;
      if (!firstRow.has(key)) firstRow.set(key, d);
      const domain = domainOf(d.fields);
      if (domain && !domainOfKey.has(key)) domainOfKey.set(key, domain);
    }
    if (!firstRow.size) return { docs: [...docs], created: 0, linkedRows: new Set() };
    t.known.startBatch();
    const isKnown = (k: string) => t.known.idOf(k) !== undefined || t.known.wasCounted(k);
    // Most companies exist after the first batches: read first, insert only the missing ones.
    const found = await this.read(
      t,
      [...firstRow.keys()].filter((k) => !isKnown(k)),
    );
    // Created by an earlier attempt at this very batch: still this batch's creation.
    let created = t.dryRun ? 0 : found.filter((c) => this.ours(t, c, firstRow.get(c.key))).length;
    const missing = [...firstRow.keys()].filter((k) => !isKnown(k));
    // A new name whose website domain belongs to a company is that company ("ACME, Inc." at acme.com).
    const asking = missing
      .filter((k) => domainOfKey.has(k))
      .map((k) => ({
        domain: domainOfKey.get(k)!,
        companyKey: k,
        name: String(firstRow.get(k)!.fields.company),
        importId: t.importId,
        sourceRow: firstRow.get(k)!.sourceRow,
      }));
    const alias = await this.domains.holders(t, asking, now);
    const targets = [...new Set([...alias.values()].map((c) => c.companyKey))].filter((k) => !isKnown(k));
    const asTarget = new Map([...alias.entries()].map(([key, c]) => [c.companyKey, firstRow.get(key)!]));
    const foundTargets = await this.read(t, targets);
    if (!t.dryRun) created += foundTargets.filter((c) => this.ours(t, c, asTarget.get(c.key))).length;
    // What no company holds yet: the unknown names, and the companies claims name that nobody wrote.
    const toCreate = new Map<string, { name: string; row: NewRecord }>();
    for (const k of missing) {
      if (!alias.has(k))
        toCreate.set(k, { name: String(firstRow.get(k)!.fields.company), row: firstRow.get(k)! });
    }
    for (const c of alias.values()) {
      if (!isKnown(c.companyKey) && !toCreate.has(c.companyKey))
        toCreate.set(c.companyKey, { name: c.name, row: asTarget.get(c.companyKey)! });
    }
    if (t.dryRun) {
      // Counted once per run: a dry run's later batches know these as would-be companies (no id).
      created += [...toCreate.keys()].filter((k) => t.known.countOnce(k)).length;
    } else if (toCreate.size) {
      const companies = [...toCreate].map(([key, c]) => ({
        key,
        fields: { name: c.name },
        phoneE164: null,
        sourceRow: c.row.sourceRow,
        autoCreated: true,
      }));
      // The unique index decides: a company another import created meanwhile is refused, and linked.
      const refused = await this.records.insertNew(t.workspaceId, 'companies', t.importId, companies, now);
      created += toCreate.size - refused.size;
      await this.read(t, [...toCreate.keys()]);
    }
    for (const [key, claim] of alias) {
      const id = t.known.idOf(claim.companyKey);
      if (id) t.known.remember(key, id);
    }
    const linked = docs.map((d, i) => {
      const key = keys[i];
      const id = key ? t.known.idOf(key) : undefined;
      return id ? { ...d, companyId: id } : d;
    });
    const linkedRows = new Set(
      (t.dryRun ? docs.filter((_, i) => keys[i]) : linked.filter((d) => d.companyId)).map((d) => d.sourceRow),
    );
    return { docs: linked, created, linkedRows };
  }

  /** Reads the companies of these keys into the run's known ids. */
  private async read(t: LinkTarget, keys: string[]) {
    const found = await this.records.findByKeys(t.workspaceId, 'companies', keys);
    for (const c of found) t.known.remember(c.key, c._id.toHexString());
    return found;
  }

  private ours(t: LinkTarget, c: ExistingRecord, row: NewRecord | undefined): boolean {
    return c.importId === t.importId && row !== undefined && c.sourceRow === row.sourceRow;
  }
}

/** The duplicate key of a contact's company, or null when the row names none. */
function companyKeyOf(d: NewRecord): string | null {
  const name = d.fields.company;
  return typeof name === 'string' && name ? companyKey(name) : null;
}
