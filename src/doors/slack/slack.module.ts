import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ConversationModule } from '../../engine/conversation/conversation.module';
import { FileIntake } from './file-intake';
import { ActionGuard } from './action-guard';
import { ImportActions } from './import-actions';
import { ImportProgress } from './import-progress';
import { ImportSummaryListener } from './import-summary.listener';
import { IntakeCommand } from './intake-command';
import { MappingMessages } from './mapping-messages';
import { ReportUpload } from './report-upload';
import { SlackAccess } from './slack-access';
import { SlackApi } from '../../protocols/slack/slack-api';
import { SlackBolt } from './slack-bolt';
import { SlackFile, SlackFileSchema } from './slack-file.schema';
import { SlackFilesRepository } from './slack-files.repository';
import { TeamWorkspaces } from './team-workspaces';

/** The Slack door: loaded with the api role when Slack's tokens are set. */
@Module({
  imports: [
    ConversationModule,
    MongooseModule.forFeature([{ name: SlackFile.name, schema: SlackFileSchema }]),
  ],
  providers: [
    SlackApi,
    SlackFilesRepository,
    TeamWorkspaces,
    SlackAccess,
    MappingMessages,
    ImportProgress,
    ReportUpload,
    FileIntake,
    ActionGuard,
    ImportActions,
    IntakeCommand,
    ImportSummaryListener,
    SlackBolt,
  ],
})
export class SlackModule {}
