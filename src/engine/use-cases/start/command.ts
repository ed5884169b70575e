import { z } from 'zod';
import { ON_DUPLICATE } from '../../imports/import.schema';
import { importCommand, workspaceCommand } from '../shared/command';

/** How an import runs, as a door asks for it. */
const startOptions = z.object({
  /** Validate and count, write nothing; a finished dry run can then be run for real. */
  dryRun: z.boolean().optional(),
  onDuplicate: z.enum(ON_DUPLICATE).optional(),
  /** false: clients and leads are not linked to companies, and no company is created. */
  linkCompanies: z.boolean().optional(),
  /**
   * A person asked for this start (a button, a reply, a command, a request): a real run teaches the
   * workspace its mapping once it completes. An automatic start teaches nothing.
   */
  byPerson: z.boolean().optional(),
});

/** Starts one import (or runs a finished dry run for real). */
export const startCommand = importCommand.extend(startOptions.shape);

/** Starts several imports of a conversation, then tells the person before any of them can run. */
export const startManyCommand = workspaceCommand.extend({
  importIds: z.array(z.string().min(1)),
  ...startOptions.shape,
});

export type StartOptions = z.input<typeof startOptions>;
export type StartCommand = z.input<typeof startCommand>;
export type StartManyCommand = z.input<typeof startManyCommand>;
