import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { RequestHandler } from 'express';
import { JobQueues } from './job-queues';

/** The operators' view of every queue (bull-board), as an Express router mounted at `basePath`. */
export function queueDashboard(jobs: JobQueues, basePath: string): RequestHandler {
  const board = new ExpressAdapter();
  board.setBasePath(basePath);
  createBullBoard({ queues: jobs.bullQueues().map((q) => new BullAdapter(q)), serverAdapter: board });
  return board.getRouter() as RequestHandler;
}
