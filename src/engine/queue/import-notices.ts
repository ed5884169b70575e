import type { Channel, ImportStatus } from '../imports/import.schema';

/** Said when an import reaches an end (completed, failed or cancelled), so its door can tell the person. */
export interface ImportNotice {
  importId: string;
  workspaceId: string;
  status: ImportStatus;
}

/** The doors that talk back to people; imports from the API and the CLI are followed by polling. */
export type NoticeChannel = Extract<Channel, 'slack' | 'email'>;
export const NOTICE_CHANNELS: readonly NoticeChannel[] = ['slack', 'email'];

/**
 * A durable hand-off from whichever process ends an import to the process that runs its door. Each
 * channel has its own queue, so a process only consumes the notices of the doors it runs.
 */
export interface ImportNotices {
  /** Never throws: a lost notice must not fail the import it reports. */
  finished(imp: {
    _id: string;
    workspaceId: string;
    channel: Channel;
    status: ImportStatus;
    finishedAt: Date | null;
  }): Promise<void>;
  /** Delivers a channel's notices to handler; a handler that throws is retried with backoff. */
  consume(channel: NoticeChannel, handler: (notice: ImportNotice) => Promise<void>): void;
}

export const IMPORT_NOTICES_PORT = Symbol('IMPORT_NOTICES_PORT');
