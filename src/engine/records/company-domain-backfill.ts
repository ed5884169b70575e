import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { CLOCK, Clock } from '../../core/clock';
import { redact } from '../../core/redact';
import { domainOf } from './company-domain-matcher';
import { CompanyDomain } from './company-domain.schema';
import { DomainClaim } from './company-domains.repository';
import { ContactRecord } from './record.schema';
import { pagesById } from './pages-by-id';
import { insertRefusingDuplicates } from './write-accounting';

const DONE = 'company-domains';

/**
 * Companies stored before domains were claimed hold none: once per database, their domains are claimed
 * for them (the oldest company of a domain first), so that a new row with another name and the same site
 * matches them too. Idempotent: several processes starting at once claim each domain once.
 */
@Injectable()
export class CompanyDomainBackfill {
  private readonly log = new Logger(CompanyDomainBackfill.name);

  constructor(
    @InjectModel(ContactRecord.name) private readonly records: Model<ContactRecord>,
    @InjectModel(CompanyDomain.name) private readonly claims: Model<CompanyDomain>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Runs the backfill unless done; failures are logged and the next start tries again. */
  async runOnce(): Promise<number> {
    const upgrades = this.claims.db.collection<{ _id: string; at: Date }>('upgrades');
    try {
      if (await upgrades.findOne({ _id: DONE })) return 0;
      // The unique index must exist before claiming, or two processes starting at once could both claim.
      await this.claims.init();
      const claimed = await this.claimAll();
      await upgrades.updateOne({ _id: DONE }, { $set: { at: this.clock.now() } }, { upsert: true });
      if (claimed) this.log.log(`claimed the website domains of ${claimed} existing companies`);
      return claimed;
    } catch (e) {
      this.log.warn(`claiming existing companies' domains failed: ${redact((e as Error).message)}`);
      return 0;
    }
  }

  private async claimAll(): Promise<number> {
    let claimed = 0;
    const filter = { type: 'companies', 'fields.website': { $exists: true } };
    const projection = { workspaceId: 1, key: 1, fields: 1, importId: 1, sourceRow: 1 };
    for await (const page of pagesById(this.records.collection, filter, projection)) {
      const now = this.clock.now();
      const docs: (DomainClaim & { workspaceId: string; createdAt: Date })[] = [];
      for (const c of page) {
        const domain = domainOf(c.fields ?? {});
        if (!domain) continue;
        docs.push({
          workspaceId: String(c.workspaceId),
          domain,
          companyKey: String(c.key),
          name: String(c.fields.name ?? c.key),
          importId: c.importId ? String(c.importId) : 'existing',
          sourceRow: typeof c.sourceRow === 'number' ? c.sourceRow : 0,
          createdAt: now,
        });
      }
      const refused = await insertRefusingDuplicates(this.claims.collection, docs, 'claim existing domains');
      claimed += docs.length - refused.length;
    }
    return claimed;
  }
}
