import { Injectable } from '@nestjs/common';
import { MergePolicy, planMerge } from '../../core/merge/merge-plan';
import type { RecordType } from '../../core/record-type';
import { RecordChangesRepository, PlannedChange } from './record-changes.repository';
import { ExistingRecord, NewRecord, RecordsRepository, RecordWrite } from './records.repository';

/** What became of a row's key: created, changed, or matched without a change. */
export type MergeVerdict = 'imported' | 'updated' | 'unchanged';

export interface MergeTarget {
  workspaceId: string;
  type: RecordType;
  importId: string;
  policy: MergePolicy;
  dryRun: boolean;
}

/** A record that keeps changing under us is given up on after this many tries; the batch is retried. */
const MAX_TRIES = 5;

/**
 * Update and fill imports. New keys are inserted (the unique index decides who creates a key); keys that
 * exist are merged: the change is planned from the record's values, its previous values are kept, then
 * it is written only while the record still holds the version it was planned from. A record another
 * writer changed in between is read and planned again. Nothing here reads to decide uniqueness.
 */
@Injectable()
export class RecordMerger {
  constructor(
    private readonly records: RecordsRepository,
    private readonly changes: RecordChangesRepository,
  ) {}

  async write(t: MergeTarget, docs: readonly NewRecord[], now: Date): Promise<Map<string, MergeVerdict>> {
    const verdicts = new Map<string, MergeVerdict>();
    let pending = new Map(docs.map((d) => [d.key, d]));
    for (let tries = 1; pending.size; tries++) {
      if (tries > MAX_TRIES) throw new Error(`${pending.size} records kept changing while being merged`);
      const refused = t.dryRun
        ? new Set(pending.keys())
        : await this.records.insertNew(t.workspaceId, t.type, t.importId, [...pending.values()], now);
      for (const key of pending.keys()) if (!refused.has(key)) verdicts.set(key, 'imported');
      const found = await this.records.findByKeys(t.workspaceId, t.type, [...refused]);
      // A key refused and gone again (rolled back meanwhile) is inserted on the next try.
      const seen = new Set(found.map((r) => r.key));
      const next = new Map([...refused].filter((k) => !seen.has(k)).map((k) => [k, pending.get(k)!]));
      if (t.dryRun) {
        for (const k of next.keys()) verdicts.set(k, 'imported');
        next.clear();
      }
      const planned = await this.judge(t, found, pending, verdicts);
      if (!t.dryRun) {
        for (const key of await this.apply(t, planned, now)) next.set(key, pending.get(key)!);
      } else {
        for (const p of planned) verdicts.set(p.key, 'updated');
      }
      for (const p of planned) if (!next.has(p.key)) verdicts.set(p.key, 'updated');
      pending = next;
    }
    return verdicts;
  }

  /** Sets the verdict of what needs no write; returns the changes to make. */
  private async judge(
    t: MergeTarget,
    found: readonly ExistingRecord[],
    rows: ReadonlyMap<string, NewRecord>,
    verdicts: Map<string, MergeVerdict>,
  ): Promise<PlannedChange[]> {
    const ours = found.filter((r) => r.lastImportId === t.importId).map((r) => r._id);
    const earlier = new Map(
      (t.dryRun ? [] : await this.changes.ofRecords(t.workspaceId, t.importId, ours)).map((c) => [
        c.recordId.toHexString(),
        c,
      ]),
    );
    const planned: PlannedChange[] = [];
    for (const rec of found) {
      const row = rows.get(rec.key)!;
      // Written by an earlier attempt at this very batch: created, or changed, by this import.
      if (!t.dryRun && rec.importId === t.importId && rec.sourceRow === row.sourceRow) {
        verdicts.set(rec.key, 'imported');
        continue;
      }
      const done = earlier.get(rec._id.toHexString());
      if (done && rec.lastImportId === t.importId && done.toVersion === rec.version) {
        verdicts.set(rec.key, 'updated');
        continue;
      }
      const plan = planMerge(
        rec,
        { fields: row.fields, custom: row.custom, phoneE164: row.phoneE164, companyId: row.companyId },
        t.policy,
      );
      if (!plan) {
        verdicts.set(rec.key, 'unchanged');
        continue;
      }
      planned.push({
        recordId: rec._id,
        key: rec.key,
        fromVersion: rec.version,
        lastImportBefore: rec.lastImportId,
        plan,
      });
    }
    return planned;
  }

  /** Keeps the previous values, then writes the changes; returns the keys whose record moved meanwhile. */
  private async apply(t: MergeTarget, planned: readonly PlannedChange[], now: Date): Promise<string[]> {
    if (!planned.length) return [];
    await this.changes.keep(t.workspaceId, t.type, t.importId, planned);
    const writes: RecordWrite[] = planned.map((c) => ({
      id: c.recordId,
      fromVersion: c.fromVersion,
      set: {
        ...Object.fromEntries(Object.entries(c.plan.set).map(([k, v]) => [`fields.${k}`, v])),
        ...Object.fromEntries(Object.entries(c.plan.custom?.set ?? {}).map(([k, v]) => [`custom.${k}`, v])),
        ...(c.plan.phone ? { phoneE164: c.plan.phone.to } : {}),
        ...(c.plan.company ? { companyId: c.plan.company.to } : {}),
        lastImportId: t.importId,
        undoneBy: null,
        updatedAt: now,
      },
    }));
    await this.records.writeIfUnchanged(t.workspaceId, writes);
    const after = await this.records.findByIds(
      t.workspaceId,
      planned.map((c) => c.recordId),
    );
    const from = new Map(planned.map((c) => [c.key, c.fromVersion]));
    const landed = new Set(
      after
        .filter((r) => r.lastImportId === t.importId && from.get(r.key)! + 1 === r.version)
        .map((r) => r.key),
    );
    return planned.filter((c) => !landed.has(c.key)).map((c) => c.key);
  }
}
