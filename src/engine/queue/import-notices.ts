import type { Channel } from '../imports/import.schema';
import type { ImportNotice, NoticeChannel } from './job-catalogue';

/**
 * A durable hand-off from whichever process ends an import to the process that runs its door. Each
 * door has its own queue, so a process only consumes the notices of the doors it runs; a door process
 * that starts late still gets them. One ending is announced once.
 */
export interface ImportNotices {
  /** Never throws: a lost notice must not fail the import it reports. */
  finished(imp: {
    _id: string;
    workspaceId: string;
    channel: Channel;
    status: ImportNotice['status'];
    finishedAt: Date | null;
  }): Promise<void>;
  /** Delivers a door's notices to handler; a handler that throws is retried with backoff. */
  consume(channel: NoticeChannel, handler: (notice: ImportNotice) => Promise<void>): void;
}

export const IMPORT_NOTICES_PORT = Symbol('IMPORT_NOTICES_PORT');
