import { Injectable } from '@nestjs/common';
import { companyDomain } from '../../core/dedupe/company-domain';
import type { RecordFields } from '../../core/validate/row-validator';
import { CompanyDomainsRepository, DomainClaim } from './company-domains.repository';
import { NewRecord, RecordsRepository } from './records.repository';

export interface MatchTarget {
  workspaceId: string;
  importId: string;
  dryRun: boolean;
}

/** A company import's batch after matching by website domain. */
export interface DomainMatch {
  /** The rows to write: a row matched by its domain carries that company's key and name. */
  docs: NewRecord[];
  /** Rows matched to another company by their domain, with the domain. */
  matched: Map<number, string>;
  /** Rows matched to a company another row of this batch writes: duplicates of that row. */
  duplicates: Map<number, number>;
}

/** The company domain a record's website gives, if any. */
export function domainOf(fields: RecordFields): string | null {
  const website = fields.website;
  return typeof website === 'string' ? companyDomain(website) : null;
}

/**
 * Matches companies by website domain besides their name: a row whose name is new but whose domain
 * belongs to a company ("ACME, Inc." at acme.com when "Acme Inc" holds acme.com) is that company's row.
 * Each row's domain is claimed before anything is written, so the claims' unique index decides when two
 * rows or two imports name one domain. A name that matches a company wins over the domain.
 */
@Injectable()
export class CompanyDomainMatcher {
  constructor(
    private readonly records: RecordsRepository,
    private readonly domains: CompanyDomainsRepository,
  ) {}

  /** Claims the domain of each company row and turns rows whose domain is another company's into its rows. */
  async matchCompanies(t: MatchTarget, docs: readonly NewRecord[], now: Date): Promise<DomainMatch> {
    const none: DomainMatch = { docs: [...docs], matched: new Map(), duplicates: new Map() };
    const asking: DomainClaim[] = [];
    for (const d of docs) {
      const domain = domainOf(d.fields);
      if (!domain) continue;
      const name = String(d.fields.name);
      asking.push({ domain, companyKey: d.key, name, importId: t.importId, sourceRow: d.sourceRow });
    }
    if (!asking.length) return none;
    const held = await this.hold(t, asking, now);
    const others = asking.filter((a) => held.get(a.domain)!.companyKey !== a.companyKey);
    if (!others.length) return none;
    // A row whose own name is a company stays that company's row.
    const named = await this.records.findByKeys(
      t.workspaceId,
      'companies',
      others.map((a) => a.companyKey),
    );
    const known = new Set(named.map((c) => c.key));
    const redirect = new Map<number, DomainClaim>();
    for (const a of others) if (!known.has(a.companyKey)) redirect.set(a.sourceRow, held.get(a.domain)!);
    const out: DomainMatch = { docs: [], matched: new Map(), duplicates: new Map() };
    const rowOfKey = new Map<string, number>();
    for (const d of docs) {
      const claim = redirect.get(d.sourceRow);
      const doc = claim ? { ...d, key: claim.companyKey, fields: { ...d.fields, name: claim.name } } : d;
      const earlier = rowOfKey.get(doc.key);
      if (earlier !== undefined) {
        out.duplicates.set(d.sourceRow, earlier);
        continue;
      }
      rowOfKey.set(doc.key, d.sourceRow);
      if (claim) out.matched.set(d.sourceRow, claim.domain);
      out.docs.push(doc);
    }
    return out;
  }

  /**
   * The companies that hold these domains, by the name key asking for each: only the askers whose domain
   * another company holds appear. A new company's domain is claimed for it (nothing is claimed in a dry
   * run).
   */
  async holders(
    t: MatchTarget,
    asking: readonly DomainClaim[],
    now: Date,
  ): Promise<Map<string, DomainClaim>> {
    const byKey = new Map<string, DomainClaim>();
    if (!asking.length) return byKey;
    const held = await this.hold(t, asking, now);
    for (const a of asking) {
      const claim = held.get(a.domain)!;
      if (claim.companyKey !== a.companyKey) byKey.set(a.companyKey, claim);
    }
    return byKey;
  }

  /** Releases an import's claims whose company is gone (after its rollback). */
  async releaseOrphans(workspaceId: string, importId: string): Promise<number> {
    return this.domains.releaseOrphans(workspaceId, importId, async (keys) => {
      const alive = await this.records.findByKeys(workspaceId, 'companies', keys);
      return new Set(alive.map((c) => c.key));
    });
  }

  private hold(t: MatchTarget, asking: readonly DomainClaim[], now: Date) {
    return t.dryRun
      ? this.domains.wouldClaim(t.workspaceId, asking)
      : this.domains.claim(t.workspaceId, asking, now);
  }
}
