import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Workspace } from './workspace.schema';

type ListField = 'allowedSenders' | 'slackTeamIds' | 'slackAdmins';

@Injectable()
export class WorkspacesRepository {
  constructor(@InjectModel(Workspace.name) private readonly model: Model<Workspace>) {}

  async find(workspaceId: string): Promise<Workspace | null> {
    const found = await this.model.findById(workspaceId).lean<Workspace>();
    return found ? complete(found) : null;
  }

  async list(): Promise<Workspace[]> {
    return (await this.model.find().sort({ _id: 1 }).lean<Workspace[]>()).map(complete);
  }

  /** Creates the workspace when missing; never overwrites one that exists. */
  async ensure(
    workspaceId: string,
    init: { name: string; defaultCountry: string },
    now: Date,
  ): Promise<void> {
    await this.model.updateOne(
      { _id: workspaceId },
      { $setOnInsert: { ...init, allowedSenders: [], slackTeamIds: [], createdAt: now } },
      { upsert: true },
    );
  }

  /** Workspaces whose allowed senders hold any of `values` (an address and its `@domain`). */
  async findAllowingSender(values: readonly string[]): Promise<Workspace[]> {
    return this.model.find({ allowedSenders: { $in: [...values] } }).lean<Workspace[]>();
  }

  async setEmailAutoStart(workspaceId: string, on: boolean): Promise<boolean> {
    const res = await this.model.updateOne({ _id: workspaceId }, { $set: { emailAutoStart: on } });
    return res.matchedCount === 1;
  }

  async setSlackSettings(
    workspaceId: string,
    set: Partial<Pick<Workspace, 'slackConfirm' | 'slackTrustWorkspaceAdmins' | 'slackAnswerNonTables'>>,
  ): Promise<boolean> {
    const res = await this.model.updateOne({ _id: workspaceId }, { $set: set });
    return res.matchedCount === 1;
  }

  async findBySlackTeam(teamId: string): Promise<Workspace | null> {
    return this.model.findOne({ slackTeamIds: teamId }).lean<Workspace>();
  }

  async addToSet(workspaceId: string, field: ListField, values: readonly string[]): Promise<boolean> {
    const res = await this.model.updateOne(
      { _id: workspaceId },
      { $addToSet: { [field]: { $each: [...values] } } },
    );
    return res.matchedCount === 1;
  }

  async pull(workspaceId: string, field: ListField, value: string): Promise<boolean> {
    const res = await this.model.updateOne({ _id: workspaceId }, { $pull: { [field]: value } });
    return res.modifiedCount === 1;
  }
}

/** A workspace written by an earlier release lacks the settings added since: they read as their defaults. */
function complete(w: Partial<Workspace> & Pick<Workspace, '_id' | 'name'>): Workspace {
  return {
    ...w,
    defaultCountry: w.defaultCountry ?? 'US',
    allowedSenders: w.allowedSenders ?? [],
    slackTeamIds: w.slackTeamIds ?? [],
    slackAdmins: w.slackAdmins ?? [],
    emailAutoStart: w.emailAutoStart ?? false,
    slackConfirm: w.slackConfirm ?? 'team',
    slackTrustWorkspaceAdmins: w.slackTrustWorkspaceAdmins ?? false,
    slackAnswerNonTables: w.slackAnswerNonTables ?? true,
    createdAt: w.createdAt ?? new Date(0),
  } as Workspace;
}
