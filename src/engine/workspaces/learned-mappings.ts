import { Injectable, Logger } from '@nestjs/common';
import type { MappingTarget } from '../../core/custom-field';
import { IntakeError } from '../../core/intake-error';
import { normalizeHeader } from '../../core/mapping/header-normalize';
import { suggestMapping } from '../../core/mapping/mapping-suggester';
import { RecordType } from '../../core/record-type';
import type { Import, LearnedFrom, MappedColumn } from '../imports/import.schema';
import { LearnedChoice, MappingMemoryRepository } from './mapping-memory.repository';

/** Who asks the workspace to forget: the door and, where the door knows one, the person. */
export interface ForgetActor {
  door: 'http' | 'cli' | 'slack' | 'email' | 'web';
  by?: string;
}

/** One learned header as a person sees it. */
export interface LearnedMappingView {
  type: RecordType;
  header: string;
  field: MappingTarget | null;
  learnedFrom: LearnedFrom;
}

/** A header longer than this is no header a person typed: refused before any query. */
const MAX_HEADER_CHARS = 512;

/**
 * What a workspace learned from its people's imports: suggestions that say where they were learned,
 * learning from a real run a person started once it completes, and forgetting a header on request.
 */
@Injectable()
export class LearnedMappings {
  private readonly log = new Logger(LearnedMappings.name);

  constructor(private readonly memory: MappingMemoryRepository) {}

  /** The suggested mapping for these headers; each column suggested from learning names its import. */
  async suggest(
    workspaceId: string,
    type: RecordType,
    headers: readonly string[],
    samples: readonly string[][],
  ): Promise<MappedColumn[]> {
    const choices = await this.memory.choices(workspaceId, type, headers);
    const learned = new Map([...choices].map(([k, c]) => [k, c.field]));
    return suggestMapping(type, headers, samples, learned).map((c) => {
      const choice = c.reason === 'learned' ? choices.get(normalizeHeader(c.header)) : undefined;
      return choice ? { ...c, learnedFrom: learnedFrom(choice) } : c;
    });
  }

  /**
   * Learns the mapping of a real run a person started, once all its rows went through: a dry run, an
   * automatic start or a mapping that was never run teaches nothing. Returns whether it learned.
   */
  async learnFrom(imp: Import, at: Date): Promise<boolean> {
    if (!imp.teaches || imp.dryRun) return false;
    await this.memory.remember(imp.workspaceId, imp.type, imp.mapping, at, {
      importId: imp._id,
      fileName: imp.fileName,
    });
    return true;
  }

  async list(workspaceId: string, type: RecordType): Promise<LearnedMappingView[]> {
    const rows = await this.memory.list(workspaceId, type);
    return rows.map((c) => view(type, c));
  }

  /** Forgets what the workspace learned for this header; future proposals suggest it afresh. */
  async forget(
    workspaceId: string,
    type: RecordType,
    header: string,
    actor: ForgetActor,
  ): Promise<LearnedMappingView> {
    const key = header.length <= MAX_HEADER_CHARS ? normalizeHeader(header) : '';
    const gone = key === '' ? null : await this.memory.forget(workspaceId, type, key);
    if (!gone)
      throw new IntakeError(
        'not_found',
        `The workspace learned nothing for the ${type} header "${header.slice(0, 80)}".`,
      );
    this.log.log(`workspace ${workspaceId}: a learned ${type} header was forgotten through ${actor.door}`);
    return view(type, gone);
  }
}

function learnedFrom(c: LearnedChoice): LearnedFrom {
  return { importId: c.importId ?? null, fileName: c.fileName ?? null, at: c.updatedAt };
}

function view(type: RecordType, c: LearnedChoice): LearnedMappingView {
  return { type, header: c.label ?? c.header, field: c.field, learnedFrom: learnedFrom(c) };
}
