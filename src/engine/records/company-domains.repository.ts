import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { pagesById } from './pages-by-id';
import { CompanyDomain } from './company-domain.schema';
import { insertRefusingDuplicates } from './write-accounting';

/** A domain's claim: which company (by duplicate key and name) it belongs to, and who claimed it. */
export interface DomainClaim {
  domain: string;
  companyKey: string;
  name: string;
  importId: string;
  sourceRow: number;
}

/** Every method takes the workspace id: one workspace can never reach another's claims. */
@Injectable()
export class CompanyDomainsRepository {
  constructor(@InjectModel(CompanyDomain.name) private readonly model: Model<CompanyDomain>) {}

  /**
   * Claims each domain for its company and returns the claim that holds for every domain asked: the new
   * one, or the one that was there first. Within one call the first claim of a domain wins; between calls
   * and imports the unique index decides, never a read.
   */
  async claim(
    workspaceId: string,
    claims: readonly DomainClaim[],
    now: Date,
  ): Promise<Map<string, DomainClaim>> {
    const first = firstPerDomain(claims);
    const docs = [...first.values()].map((c) => ({ workspaceId, ...c, createdAt: now }));
    const refused = await insertRefusingDuplicates(this.model.collection, docs, 'claim domains');
    const lost = refused.map((i) => docs[i]!.domain);
    for (const c of await this.find(workspaceId, lost)) first.set(c.domain, c);
    return first;
  }

  /** What `claim` would answer, claiming nothing (for a dry run). */
  async wouldClaim(workspaceId: string, claims: readonly DomainClaim[]): Promise<Map<string, DomainClaim>> {
    const first = firstPerDomain(claims);
    for (const c of await this.find(workspaceId, [...first.keys()])) first.set(c.domain, c);
    return first;
  }

  /** The claims of these domains. */
  async find(workspaceId: string, domains: readonly string[]): Promise<DomainClaim[]> {
    if (!domains.length) return [];
    const found = await this.model.collection
      .find(
        { workspaceId, domain: { $in: [...new Set(domains)] } },
        { projection: { _id: 0, domain: 1, companyKey: 1, name: 1, importId: 1, sourceRow: 1 } },
      )
      .toArray();
    return found as unknown as DomainClaim[];
  }

  /**
   * Releases the claims an import made whose company is gone (`existing` answers which of some company
   * keys still have a record), page by page so that a large import's rollback holds one page at a time.
   */
  async releaseOrphans(
    workspaceId: string,
    importId: string,
    existing: (keys: string[]) => Promise<Set<string>>,
  ): Promise<number> {
    let released = 0;
    const filter = { workspaceId, importId };
    for await (const page of pagesById(this.model.collection, filter, { _id: 1, companyKey: 1 })) {
      const alive = await existing([...new Set(page.map((c) => String(c.companyKey)))]);
      const gone = page.filter((c) => !alive.has(String(c.companyKey))).map((c) => c._id);
      if (gone.length) {
        released += (await this.model.collection.deleteMany({ workspaceId, _id: { $in: gone } }))
          .deletedCount;
      }
    }
    return released;
  }
}

function firstPerDomain(claims: readonly DomainClaim[]): Map<string, DomainClaim> {
  const first = new Map<string, DomainClaim>();
  for (const c of claims) if (!first.has(c.domain)) first.set(c.domain, c);
  return first;
}
