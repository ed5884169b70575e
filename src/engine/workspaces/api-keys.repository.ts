import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ApiKey, ApiKeyEntry, Workspace } from './workspace.schema';

/** A key entry as releases before the keys' own collection stored it, inside the workspace. */
interface EmbeddedKey extends ApiKeyEntry {
  revokedAt: Date | null;
}

function isDuplicateKey(e: unknown): boolean {
  return (e as { code?: number }).code === 11000;
}

/**
 * API keys, one document each. Every write touches one key's document and no write ever clears a
 * revocation, so a key that is revoked stays revoked whatever runs at the same time.
 */
@Injectable()
export class ApiKeysRepository {
  constructor(
    @InjectModel(ApiKey.name) private readonly model: Model<ApiKey>,
    @InjectModel(Workspace.name) private readonly workspaces: Model<Workspace>,
  ) {}

  /** False when a key with this hash exists already (the unique index decides, never a read). */
  async add(workspaceId: string, entry: ApiKeyEntry): Promise<boolean> {
    try {
      await this.model.create({ ...entry, workspaceId });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  async byHash(hash: string): Promise<ApiKey | null> {
    return this.model.findOne({ hash }).lean<ApiKey>();
  }

  async active(workspaceId: string): Promise<ApiKey[]> {
    return this.model.find({ workspaceId, revokedAt: null }).sort({ createdAt: 1 }).lean<ApiKey[]>();
  }

  async revoke(workspaceId: string, keyId: string, now: Date): Promise<boolean> {
    const res = await this.model.updateMany(
      { workspaceId, id: keyId, revokedAt: null },
      { $set: { revokedAt: now } },
    );
    return res.modifiedCount > 0;
  }

  /** Revokes the keys with this label created before `before`, except the one with `keepHash`. */
  async revokeOlder(
    workspaceId: string,
    label: string,
    keepHash: string,
    before: Date,
    now: Date,
  ): Promise<number> {
    const res = await this.model.updateMany(
      { workspaceId, label, hash: { $ne: keepHash }, createdAt: { $lt: before }, revokedAt: null },
      { $set: { revokedAt: now } },
    );
    return res.modifiedCount;
  }

  /**
   * Moves keys that earlier releases kept inside the workspace document into their own documents.
   * Safe to run by several processes at once: the unique hash index lets each key in once.
   */
  async adoptEmbeddedKeys(): Promise<number> {
    // The raw collection: the schema no longer declares `apiKeys`, and mongoose would drop it.
    const holders = await this.workspaces.collection
      .find({ apiKeys: { $exists: true } }, { projection: { apiKeys: 1 } })
      .toArray();
    let moved = 0;
    for (const ws of holders) {
      const keys = (ws.apiKeys ?? []) as EmbeddedKey[];
      for (const k of keys) {
        const entry = {
          id: k.id,
          hash: k.hash,
          label: k.label,
          createdAt: k.createdAt,
          revokedAt: k.revokedAt,
        };
        if (await this.add(String(ws._id), entry)) moved += 1;
        // A key present already keeps its revocation; one revoked in the old place is revoked here too.
        else if (k.revokedAt)
          await this.model.updateOne({ hash: k.hash, revokedAt: null }, { $set: { revokedAt: k.revokedAt } });
      }
      await this.workspaces.collection.updateOne({ _id: ws._id }, { $unset: { apiKeys: '' } });
    }
    return moved;
  }
}
