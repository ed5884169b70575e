import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import type { OnDuplicate } from '../../engine/imports/import.schema';
import { SlackFile } from './slack-file.schema';

const DUPLICATE_KEY = 11000;

/**
 * A claim still `claimed` after this long belongs to a process that died between claiming the file
 * and storing it (a stored file is `imported` or `refused` within seconds): the file's next event,
 * such as sharing it again, may take it over.
 */
export const STALE_CLAIM_MS = 10 * 60_000;

export type NewSlackFile = Pick<
  SlackFile,
  'teamId' | 'fileId' | 'workspaceId' | 'channel' | 'threadTs' | 'userId'
>;

/** The Slack door's own memory of files and threads; the import itself lives in the imports collection. */
@Injectable()
export class SlackFilesRepository {
  constructor(@InjectModel(SlackFile.name) private readonly model: Model<SlackFile>) {}

  /** Inserts the file's document; false when another event (or process) claimed the file first. */
  async claim(file: NewSlackFile, now: Date): Promise<boolean> {
    return (await this.insertClaim(file, now)) || this.takeOverStaleClaim(file, now);
  }

  private async takeOverStaleClaim(file: NewSlackFile, now: Date): Promise<boolean> {
    const res = await this.model.updateOne(
      {
        _id: `${file.teamId}:${file.fileId}`,
        state: 'claimed',
        createdAt: { $lt: new Date(now.getTime() - STALE_CLAIM_MS) },
      },
      { $set: { ...file, createdAt: now } },
    );
    return res.modifiedCount === 1;
  }

  private async insertClaim(file: NewSlackFile, now: Date): Promise<boolean> {
    const doc: SlackFile = { _id: `${file.teamId}:${file.fileId}`, ...freshClaim(file, now) };
    try {
      await this.model.collection.insertOne(doc as unknown as Record<string, unknown>);
      return true;
    } catch (e) {
      if (e instanceof mongo.MongoServerError && e.code === DUPLICATE_KEY) return false;
      throw e;
    }
  }

  /** Files whose import had a progress message, shared since `since`: what a restarted process may resume. */
  async withProgress(since: Date, limit = 500): Promise<SlackFile[]> {
    return this.model
      .find({ state: 'imported', progressTs: { $ne: null }, createdAt: { $gte: since } })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<SlackFile[]>();
  }

  async get(teamId: string, fileId: string): Promise<SlackFile | null> {
    return this.model.findById(`${teamId}:${fileId}`).lean<SlackFile>();
  }

  /** Records a later share of the file once; true only for the first caller (one answer per share). */
  async noteReshare(teamId: string, fileId: string, shareTs: string): Promise<boolean> {
    const res = await this.model.updateOne(
      { _id: `${teamId}:${fileId}`, threadTs: { $ne: shareTs }, reshares: { $ne: shareTs } },
      { $addToSet: { reshares: shareTs } },
    );
    return res.modifiedCount === 1;
  }

  /**
   * The file shared again after its import ended (or after it was refused, say because Slack could not
   * hand it over): its document starts over for the new share, as a new claim. Only one caller wins.
   */
  async restart(file: NewSlackFile, endedImportId: string | null, now: Date): Promise<boolean> {
    const ended = endedImportId ? { importId: endedImportId } : { state: 'refused' };
    const res = await this.model.updateOne(
      { _id: `${file.teamId}:${file.fileId}`, ...ended, threadTs: { $ne: file.threadTs } },
      { $set: freshClaim(file, now) },
    );
    return res.modifiedCount === 1;
  }

  /**
   * Claims the "Update existing records" of an ended import: a document of its own (keyed by the
   * import it updates) in the same thread, so the new import's ending is told there. False when
   * another click claimed it first.
   */
  async claimUpdate(file: SlackFile, updatedImportId: string, now: Date): Promise<string | null> {
    const fileId = `${file.fileId}#update:${updatedImportId}`;
    const claimed = await this.insertClaim(
      {
        teamId: file.teamId,
        fileId,
        workspaceId: file.workspaceId,
        channel: file.channel,
        threadTs: file.threadTs,
        userId: file.userId,
      },
      now,
    );
    return claimed ? fileId : null;
  }

  /**
   * Drops the claim of an update that could not start (its new import, if made, was cancelled), so the
   * button can be pressed again and that import's ending is not told in the thread.
   */
  async dropClaim(teamId: string, fileId: string): Promise<void> {
    await this.model.deleteOne({ _id: `${teamId}:${fileId}` });
  }

  async byImport(workspaceId: string, importId: string): Promise<SlackFile | null> {
    return this.model.findOne({ importId, workspaceId }).lean<SlackFile>();
  }

  async update(
    teamId: string,
    fileId: string,
    set: Partial<Pick<SlackFile, 'threadTs' | 'state' | 'importId' | 'mappingTs'>>,
  ): Promise<void> {
    await this.model.updateOne({ _id: `${teamId}:${fileId}` }, { $set: set });
  }

  async setProgressTs(workspaceId: string, importId: string, ts: string): Promise<void> {
    await this.model.updateOne({ importId, workspaceId }, { $set: { progressTs: ts } });
  }

  async setOnDuplicate(workspaceId: string, importId: string, onDuplicate: OnDuplicate): Promise<void> {
    await this.model.updateOne({ importId, workspaceId }, { $set: { onDuplicate } });
  }

  async setLinkCompanies(workspaceId: string, importId: string, linkCompanies: boolean): Promise<void> {
    await this.model.updateOne({ importId, workspaceId }, { $set: { linkCompanies } });
  }

  async noticeStepDone(workspaceId: string, importId: string, step: string): Promise<void> {
    await this.model.updateOne({ importId, workspaceId }, { $addToSet: { noticesDone: step } });
  }
}

/** A file's document as a new share claims it: nothing of an earlier share's import or choices is kept. */
function freshClaim(file: NewSlackFile, now: Date): Omit<SlackFile, '_id'> {
  return {
    ...file,
    state: 'claimed',
    importId: null,
    mappingTs: [],
    progressTs: null,
    onDuplicate: 'skip',
    linkCompanies: true,
    noticesDone: [],
    reshares: [],
    createdAt: now,
  };
}
