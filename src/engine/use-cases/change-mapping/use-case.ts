import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../../../core/clock';
import { IntakeError } from '../../../core/intake-error';
import { label } from '../../../core/lifecycle/import-lifecycle';
import { LearnedMappings } from '../../workspaces/learned-mappings';
import { ImportView, toImportView } from '../../imports/import-view';
import { ImportsRepository } from '../../imports/imports.repository';
import { applyMappingChange, retypeMapping } from '../../imports/mapping-change';
import { parseCommand } from '../shared/command';
import { ImportHistory, withAct } from '../shared/import-history';
import { ChangeMappingCommand, changeMappingCommand } from './command';

/**
 * Changes the type (re-suggesting for it) and/or columns while the import awaits its mapping. Changes
 * apply in the order people made them, however late one is handled, and concurrent changes never
 * overwrite each other: the write is conditional on the mapping version it was computed from.
 */
@Injectable()
export class ChangeMapping {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly learned: LearnedMappings,
    private readonly history: ImportHistory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: ChangeMappingCommand): Promise<ImportView> {
    const c = parseCommand(changeMappingCommand, command, 'change the mapping');
    const { workspaceId, importId: id, type } = c;
    const at = c.at && Number.isFinite(c.at.getTime()) ? c.at : this.clock.now();
    const stamp = at.getTime();
    const change = { byHeader: c.byHeader, byIndex: c.byIndex };
    for (let tries = 0; tries < 8; tries++) {
      const imp = await this.imports.get(workspaceId, id);
      if (imp.status !== 'awaiting_mapping') {
        throw new IntakeError(
          'conflict',
          `Cannot change the mapping of import ${id}: it is ${label(imp.status)} (only an import awaiting its mapping can be changed).`,
        );
      }
      let { type: nextType, mapping, typeChosenAt } = imp;
      if (type && type !== imp.type && stamp >= imp.typeChosenAt) {
        const suggestion = await this.learned.suggest(
          workspaceId,
          type,
          imp.layout.headers,
          imp.layout.samples,
        );
        mapping = retypeMapping(type, imp.mapping, suggestion, stamp);
        nextType = type;
        typeChosenAt = stamp;
      }
      mapping = applyMappingChange(nextType, mapping, change, stamp, typeChosenAt);
      const saved = await this.imports.changeMapping(workspaceId, id, imp.mappingVersion, {
        type: nextType,
        mapping,
        typeChosenAt,
      });
      if (saved) {
        const act = nextType !== imp.type ? 'change_type' : 'change_columns';
        return toImportView(withAct(saved, await this.history.record(workspaceId, id, act, c.actor)));
      }
    }
    throw new IntakeError('conflict', `The mapping of import ${id} keeps changing; try again in a moment.`);
  }
}
