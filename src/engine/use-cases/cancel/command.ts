import type { z } from 'zod';
import { importCommand } from '../shared/command';

/** Cancels one import: at once before it runs; a running one finishes the batch in flight first. */
export const cancelCommand = importCommand;

export type CancelCommand = z.input<typeof cancelCommand>;
