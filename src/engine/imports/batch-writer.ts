import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../../core/clock';
import type { ValidRow } from '../../core/validate/row-validator';
import { CompanyDomainMatcher } from '../records/company-domain-matcher';
import { CompanyLinker } from '../records/company-linker';
import { MergeVerdict, RecordMerger } from '../records/record-merger';
import { NewRecord, RecordsRepository } from '../records/records.repository';
import { RunCompanies } from '../records/run-companies';
import type { Import } from './import.schema';

/** What became of a valid row: written (created, changed, unchanged) or found to exist. */
export type Verdict = MergeVerdict | 'exists';

/** A valid row and its row number in the file. */
export interface ValidAt {
  row: number;
  valid: ValidRow;
}

/**
 * Writes one batch's valid rows: companies matched by website domain (a companies import) or contacts
 * linked to their companies, then the records, inserted (skip) or merged (update, fill). The unique
 * indexes decide every row's fate; nothing here reads to decide uniqueness.
 */
@Injectable()
export class BatchWriter {
  constructor(
    private readonly records: RecordsRepository,
    private readonly merger: RecordMerger,
    private readonly linker: CompanyLinker,
    private readonly domains: CompanyDomainMatcher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Decides each valid row's fate against the database; the unique index is the arbiter, never a prior read. */
  async write(imp: Import, valid: readonly ValidAt[], companies: RunCompanies): Promise<Written> {
    const verdicts = new Map<number, Verdict>();
    const written: Written = { verdicts, reasons: new Map(), companiesCreated: 0, linked: new Set() };
    if (!valid.length) return written;
    let docs: NewRecord[] = valid.map((p) => ({
      key: p.valid.key,
      fields: p.valid.fields,
      ...(p.valid.custom ? { custom: p.valid.custom } : {}),
      phoneE164: p.valid.phoneE164 ?? null,
      sourceRow: p.row,
    }));
    const { workspaceId, type, _id: importId } = imp;
    const now = this.clock.now();
    const target = { workspaceId, importId, dryRun: imp.dryRun };
    // Set for rows found to exist by their website domain rather than their name.
    const sameDomain = new Map<number, string>();
    if (type === 'companies') {
      const match = await this.domains.matchCompanies(target, docs, now);
      docs = match.docs;
      for (const [row, domain] of match.matched) sameDomain.set(row, domain);
      for (const [row, first] of match.duplicates) {
        verdicts.set(row, 'exists');
        written.reasons.set(row, `duplicate of row ${first} (same website domain)`);
      }
    } else if (imp.linkCompanies !== false) {
      const link = await this.linker.link({ ...target, known: companies }, docs, now);
      docs = link.docs;
      written.companiesCreated = link.created;
      written.linked = link.linkedRows;
    }
    if (imp.onDuplicate !== 'skip') {
      const merged = await this.merger.write({ ...target, type, policy: imp.onDuplicate }, docs, now);
      for (const d of docs) verdicts.set(d.sourceRow, merged.get(d.key) ?? 'imported');
      return written;
    }
    const rowOfKey = new Map(docs.map((d) => [d.key, d.sourceRow]));
    const contested = imp.dryRun
      ? [...rowOfKey.keys()]
      : [...(await this.records.insertNew(workspaceId, type, importId, docs, now))];
    for (const d of docs) verdicts.set(d.sourceRow, 'imported');
    // A record this import created on an earlier attempt at this very row is ours: count it as imported.
    for (const owner of await this.records.owners(workspaceId, type, contested)) {
      const row = rowOfKey.get(owner.key);
      if (row === undefined) continue;
      const ours = !imp.dryRun && owner.importId === importId && owner.sourceRow === row;
      if (ours) continue;
      verdicts.set(row, 'exists');
      const domain = sameDomain.get(row);
      if (domain) written.reasons.set(row, `already exists: same website domain "${domain}"`);
    }
    return written;
  }
}

/** What a batch's write did: each valid row's verdict, companies created, rows linked to a company. */
export interface Written {
  verdicts: Map<number, Verdict>;
  /** Why a row that exists was skipped, when not simply "already exists". */
  reasons: Map<number, string>;
  companiesCreated: number;
  linked: Set<number>;
}
