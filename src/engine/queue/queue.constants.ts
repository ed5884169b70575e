/** Queue names, job names and payloads in one place. The job id is the import id, so enqueuing twice does nothing. */
export const IMPORT_QUEUE = 'imports';
export const RUN_IMPORT_JOB = 'run-import';

export interface RunImportPayload {
  importId: string;
  workspaceId: string;
}

/** Each door's notices (import ended) travel on a queue of their own. */
export function noticeQueueName(channel: 'slack' | 'email'): string {
  return `notices-${channel}`;
}
