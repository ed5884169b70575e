import { Injectable } from '@nestjs/common';
import type { mongo } from 'mongoose';
import type { ChangeOutcome } from './record-change.schema';
import { RecordChangesRepository, StoredChange } from './record-changes.repository';
import { ExistingRecord, RecordsRepository, RecordWrite } from './records.repository';

const BATCH = 500;

/**
 * Puts back the values an import changed, record by record, only while the record still holds the
 * version that import gave it: a record changed since (by a later import or an edit) is kept as it is,
 * so rolling back an older import never overwrites a newer one. Each change is marked once dealt with;
 * an interrupted rollback resumes with the rest and recognises the records it already restored.
 */
@Injectable()
export class RecordRestorer {
  constructor(
    private readonly records: RecordsRepository,
    private readonly changes: RecordChangesRepository,
  ) {}

  async restore(workspaceId: string, importId: string): Promise<Record<ChangeOutcome, number>> {
    for (;;) {
      const batch = await this.changes.pending(workspaceId, importId, BATCH);
      if (!batch.length) break;
      const found = await this.records.findByIds(
        workspaceId,
        batch.map((c) => c.recordId),
      );
      const byId = new Map(found.map((r) => [r._id.toHexString(), r]));
      const writes = batch.filter((c) => byId.get(c.recordId.toHexString())?.version === c.toVersion);
      await this.records.writeIfUnchanged(workspaceId, writes.map(restoreWrite(importId)));
      const after = writes.length
        ? await this.records.findByIds(
            workspaceId,
            writes.map((c) => c.recordId),
          )
        : [];
      for (const r of after) byId.set(r._id.toHexString(), r);
      const outcomes = batch.map((c) => ({
        id: c._id,
        outcome: restoredBy(importId, c, byId.get(c.recordId.toHexString())) ? 'restored' : 'kept',
      })) satisfies { id: mongo.ObjectId; outcome: ChangeOutcome }[];
      await this.changes.settle(workspaceId, outcomes);
    }
    return this.changes.countOutcomes(workspaceId, importId);
  }
}

function restoredBy(importId: string, c: StoredChange, rec: ExistingRecord | undefined): boolean {
  return rec?.undoneBy === importId && rec.version === c.toVersion + 1;
}

function restoreWrite(importId: string) {
  return (c: StoredChange): RecordWrite => ({
    id: c.recordId,
    fromVersion: c.toVersion,
    set: {
      ...Object.fromEntries(Object.entries(c.before).map(([k, v]) => [`fields.${k}`, v])),
      ...Object.fromEntries(Object.entries(c.custom?.before ?? {}).map(([k, v]) => [`custom.${k}`, v])),
      ...(c.phone ? { phoneE164: c.phone.from } : {}),
      ...(c.company ? { companyId: c.company.from } : {}),
      lastImportId: c.lastImportBefore,
      undoneBy: importId,
    },
    unset: [...c.absent.map((k) => `fields.${k}`), ...(c.custom?.absent ?? []).map((k) => `custom.${k}`)],
  });
}
