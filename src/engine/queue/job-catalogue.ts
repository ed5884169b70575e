import type { ImportStatus } from '../../core/lifecycle/import-lifecycle';
import type { AppConfig } from '../../config/app-config';

/**
 * Every background job Intake runs, declared once: its queue, its typed payload, how many attempts it
 * gets and how many run at once per process. Only the queue module turns these into Bull queues.
 */

/** Run (or resume) one import. The job id is the import id, so queueing it twice does nothing. */
export interface RunImportPayload {
  importId: string;
  workspaceId: string;
  /** The lane its turn was given in (see runLane); absent when it runs beside anything. */
  lane?: string;
}

/** An import reached an ending (completed, failed or cancelled): its door tells the person. */
export interface ImportNotice {
  importId: string;
  workspaceId: string;
  status: ImportStatus;
  /** When it ended (ms since the epoch); absent in notices queued by earlier releases. */
  endedAt?: number;
}

/** A message stored (GridFS) and accepted with 250, to be parsed and answered in the background. */
export interface InboundMailPayload {
  rawFileId: string;
  workspaceId: string;
  envelopeFrom: string;
  /** The first import address or reply address it was sent to. */
  recipient: string;
  /** The From header's address: the person we answer. */
  sender: string;
  receivedAt: string;
  /** The From domain was authenticated (absent on jobs queued by older releases: not authenticated). */
  authenticated?: boolean;
}

/** One answer in the email outbox, to be sent. */
export interface OutboundMailPayload {
  key: string;
}

export interface JobPayloads {
  'run-import': RunImportPayload;
  'import-ended-slack': ImportNotice;
  'import-ended-email': ImportNotice;
  'email-inbound': InboundMailPayload;
  'email-outbound': OutboundMailPayload;
}
export type JobKind = keyof JobPayloads;

type QueueSettings = AppConfig['queue'];

export interface JobSpec {
  /** The Bull queue (kept from earlier releases, so jobs waiting in Redis are still found). */
  queue: string;
  /** The job's name in its queue, where it has one. */
  name?: string;
  attempts(q: QueueSettings): number;
  concurrency(q: QueueSettings): number;
  /** True when a stall (its worker died) counts as a final failure rather than a retry. */
  finalOnStall?: boolean;
}

export const JOBS: Record<JobKind, JobSpec> = {
  'run-import': {
    queue: 'imports',
    name: 'run-import',
    attempts: (q) => q.attempts,
    concurrency: (q) => q.concurrency,
    finalOnStall: true,
  },
  'import-ended-slack': { queue: 'notices-slack', attempts: () => 8, concurrency: () => 4 },
  'import-ended-email': { queue: 'notices-email', attempts: () => 8, concurrency: () => 4 },
  'email-inbound': { queue: 'email-inbound', attempts: () => 5, concurrency: () => 2 },
  'email-outbound': { queue: 'email-outbound', attempts: () => 8, concurrency: () => 2 },
};

export const JOB_KINDS = Object.keys(JOBS) as JobKind[];

/** The endings' queue of each door that talks back to people. */
export const NOTICE_JOBS = { slack: 'import-ended-slack', email: 'import-ended-email' } as const;
export type NoticeChannel = keyof typeof NOTICE_JOBS;
export const NOTICE_CHANNELS = Object.keys(NOTICE_JOBS) as NoticeChannel[];

/** What a job's handler is told when the queue gives up on it (attempts used up, or a final stall). */
export interface GiveUp {
  attempts: number;
  reason: string;
}
