import { runLane } from '../../core/fairness/run-lane';
import type { TurnTicket } from '../queue/import-turns';
import type { Import } from './import.schema';

/** The import's place in its workspace's line of runs. */
export function ticketOf(
  imp: Pick<Import, '_id' | 'workspaceId' | 'type' | 'dryRun' | 'onDuplicate'>,
): TurnTicket {
  return { workspaceId: imp.workspaceId, importId: imp._id, lane: runLane(imp) };
}
