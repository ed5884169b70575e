import type { z } from 'zod';
import { importCommand } from '../shared/command';

/** Resumes a failed import after its last committed row. */
export const retryCommand = importCommand;

export type RetryCommand = z.input<typeof retryCommand>;
