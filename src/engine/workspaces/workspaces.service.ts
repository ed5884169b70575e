import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator } from '../../core/clock';
import { IntakeError } from '../../core/intake-error';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKey, Workspace } from './workspace.schema';
import { WorkspacesRepository } from './workspaces.repository';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A Slack user id (U… or W… for Enterprise Grid), as Slack shows it in a profile's "Copy member ID". */
function slackUserId(value: string): string {
  const id = value.trim().toUpperCase();
  if (!/^[UW][A-Z0-9]{2,}$/.test(id)) {
    throw new IntakeError('invalid_request', 'A Slack user id looks like U0123ABCD.');
  }
  return id;
}

const WORKSPACE_ID = /^[a-z0-9][a-z0-9_-]{1,62}$/;
/**
 * An address (`ana@example.com`) or a whole domain (`@example.com`) allowed to mail imports in. The domain
 * is split at its first dot after its first character, so no two quantifiers compete for its dots.
 */
export const ALLOWED_SENDER = /^[^@\s]*@[^@\s][^@\s.]*\.[^@\s]+$/;
/** The label of the key seeded from the environment. */
export const SEEDED_KEY_LABEL = 'INTAKE_API_KEY';

@Injectable()
export class WorkspacesService {
  private readonly log = new Logger('Workspaces');

  constructor(
    private readonly repo: WorkspacesRepository,
    private readonly keys: ApiKeysRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** The environment only seeds the default workspace; everything else is managed with `intake workspace`. */
  async seedDefault(): Promise<void> {
    const { id, apiKey, country } = this.config.defaultWorkspace;
    await this.repo.ensure(id, { name: 'Default workspace', defaultCountry: country }, this.clock.now());
    await this.keys.adoptEmbeddedKeys();
    if (apiKey) await this.seedKey(id, apiKey);
    if (this.config.mail.allowedSenders.length) {
      await this.repo.addToSet(id, 'allowedSenders', this.config.mail.allowedSenders);
    }
  }

  /**
   * INTAKE_API_KEY becomes a key of the default workspace, and a new value retires the keys seeded
   * before it (keys made with the CLI are untouched). A value that was revoked stays revoked: the
   * process starts, and the key opens nothing.
   */
  private async seedKey(workspaceId: string, apiKey: string): Promise<void> {
    const hash = hashApiKey(apiKey);
    let mine = await this.keys.byHash(hash);
    if (!mine) {
      await this.keys.add(workspaceId, {
        id: `env_${this.ids.secret(6)}`,
        hash,
        label: SEEDED_KEY_LABEL,
        createdAt: this.clock.now(),
        revokedAt: null,
      });
      mine = await this.keys.byHash(hash);
    }
    if (!mine || mine.revokedAt) {
      this.log.warn('INTAKE_API_KEY is a key that was revoked: it opens nothing. Set a new value.');
      return;
    }
    if (mine.workspaceId !== workspaceId) {
      this.log.warn(`INTAKE_API_KEY is a key of workspace "${mine.workspaceId}", not of "${workspaceId}".`);
      return;
    }
    // Only older seeded keys: a process started with an earlier value never retires a newer one.
    const retired = await this.keys.revokeOlder(
      workspaceId,
      SEEDED_KEY_LABEL,
      hash,
      mine.createdAt,
      this.clock.now(),
    );
    if (retired) this.log.log(`INTAKE_API_KEY changed: retired ${retired} key(s) it had seeded before`);
  }

  async create(id: string, name?: string, country?: string): Promise<Workspace> {
    if (!WORKSPACE_ID.test(id)) {
      throw new IntakeError(
        'invalid_request',
        'A workspace id is 2-63 lower-case letters, digits, "-" or "_".',
      );
    }
    if (await this.repo.find(id)) throw new IntakeError('conflict', `Workspace "${id}" already exists.`);
    await this.repo.ensure(
      id,
      { name: name ?? id, defaultCountry: country ?? this.config.defaultWorkspace.country },
      this.clock.now(),
    );
    return this.get(id);
  }

  async get(id: string): Promise<Workspace> {
    const ws = await this.repo.find(id);
    if (!ws)
      throw new IntakeError(
        'not_found',
        `No workspace "${id}". Create it with \`intake workspace create ${id}\`.`,
      );
    return ws;
  }

  list(): Promise<Workspace[]> {
    return this.repo.list();
  }

  /** Returns the key once; only its hash is stored. */
  async issueKey(workspaceId: string, label = 'api'): Promise<{ id: string; key: string }> {
    await this.get(workspaceId);
    const key = `ik_${this.ids.secret(32)}`;
    const id = `key_${this.ids.secret(6)}`;
    await this.keys.add(workspaceId, {
      id,
      hash: hashApiKey(key),
      label,
      createdAt: this.clock.now(),
      revokedAt: null,
    });
    return { id, key };
  }

  async revokeKey(workspaceId: string, keyId: string): Promise<void> {
    if (!(await this.keys.revoke(workspaceId, keyId, this.clock.now()))) {
      throw new IntakeError('not_found', `No active key "${keyId}" in workspace "${workspaceId}".`);
    }
  }

  /** The workspace of an active key; a revoked or unknown key has none. Looked up every time, never cached. */
  async byApiKey(key: string): Promise<Workspace | null> {
    if (!key) return null;
    const entry = await this.keys.byHash(hashApiKey(key));
    return entry && !entry.revokedAt ? this.repo.find(entry.workspaceId) : null;
  }

  activeKeys(workspaceId: string): Promise<ApiKey[]> {
    return this.keys.active(workspaceId);
  }

  async allowSender(workspaceId: string, sender: string): Promise<void> {
    const s = sender.trim().toLowerCase();
    if (!ALLOWED_SENDER.test(s)) {
      throw new IntakeError(
        'invalid_request',
        'Allow an address (ana@example.com) or a domain (@example.com).',
      );
    }
    await this.get(workspaceId);
    await this.repo.addToSet(workspaceId, 'allowedSenders', [s]);
  }

  async disallowSender(workspaceId: string, sender: string): Promise<void> {
    await this.repo.pull(workspaceId, 'allowedSenders', sender.trim().toLowerCase());
  }

  /** Email imports start at once when every required field is mapped with high confidence. */
  async setEmailAutoStart(workspaceId: string, on: boolean): Promise<void> {
    if (!(await this.repo.setEmailAutoStart(workspaceId, on))) await this.get(workspaceId);
  }

  /** `team`: any member of the workspace's Slack team confirms in a thread; `sharer`: sharer and admins. */
  async setSlackConfirm(workspaceId: string, mode: string): Promise<void> {
    if (mode !== 'team' && mode !== 'sharer') {
      throw new IntakeError('invalid_request', 'Use team or sharer.');
    }
    if (!(await this.repo.setSlackSettings(workspaceId, { slackConfirm: mode }))) await this.get(workspaceId);
  }

  /** Whether Slack's own workspace admins and owners count as the workspace's Slack admins. */
  async setSlackTrustWorkspaceAdmins(workspaceId: string, on: boolean): Promise<void> {
    if (!(await this.repo.setSlackSettings(workspaceId, { slackTrustWorkspaceAdmins: on }))) {
      await this.get(workspaceId);
    }
  }

  /** Whether a file shared in Slack that does not look like a table is answered, or passed over silently. */
  async setSlackAnswerNonTables(workspaceId: string, on: boolean): Promise<void> {
    if (!(await this.repo.setSlackSettings(workspaceId, { slackAnswerNonTables: on }))) {
      await this.get(workspaceId);
    }
  }

  async addSlackAdmin(workspaceId: string, userId: string): Promise<void> {
    const id = slackUserId(userId);
    await this.get(workspaceId);
    await this.repo.addToSet(workspaceId, 'slackAdmins', [id]);
  }

  async removeSlackAdmin(workspaceId: string, userId: string): Promise<void> {
    await this.get(workspaceId);
    await this.repo.pull(workspaceId, 'slackAdmins', slackUserId(userId));
  }

  async linkSlackTeam(workspaceId: string, teamId: string): Promise<void> {
    if (!/^T[A-Z0-9]{2,}$/.test(teamId))
      throw new IntakeError('invalid_request', 'A Slack team id looks like T0123ABCD.');
    const owner = await this.repo.findBySlackTeam(teamId);
    if (owner && owner._id !== workspaceId) {
      throw new IntakeError(
        'conflict',
        `Slack team ${teamId} is already linked to workspace "${owner._id}".`,
      );
    }
    await this.get(workspaceId);
    await this.repo.addToSet(workspaceId, 'slackTeamIds', [teamId]);
  }
}
