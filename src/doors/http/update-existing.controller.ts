import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { START_MESSAGE } from '../../engine/imports/import-view';
import { UpdateExisting } from '../../engine/use-cases/update-existing/use-case';
import { API_ACTOR } from './api-actor';
import { ApiKeyGuard, WorkspaceId } from './api-key.guard';

/** "Update existing records": the offer of a completed import that skipped rows whose record existed. */
@ApiTags('imports')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('imports')
export class UpdateExistingController {
  constructor(private readonly updates: UpdateExisting) {}

  @Post(':id/update-existing')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Update the records that already existed: the same file and mapping, imported again as a new import with onDuplicate update',
    description:
      'Offered (`actions` holds update_existing) once a completed import skipped rows because their record ' +
      'already existed. The first import stays as it ended, with its own undo. Answers like a start: the ' +
      'start sentence and the new import.',
  })
  @ApiResponse({ status: 202, description: '{ message, import }: the new import, queued' })
  @ApiResponse({ status: 404, description: 'not_found: no such import in this workspace' })
  @ApiResponse({ status: 409, description: 'conflict: retention deleted the file after the import ended' })
  async updateExisting(@WorkspaceId() ws: string, @Param('id') id: string) {
    const started = await this.updates.execute({ workspaceId: ws, importId: id, actor: API_ACTOR });
    return { message: START_MESSAGE, import: started };
  }
}
