import { Module } from '@nestjs/common';
import { ImportAgain } from './import-again';
import { ImportEndings } from './import-endings';

/**
 * What Slack and email share of a conversation about an import: "ready to start?" (readiness), how it
 * ended (import-summary), hearing of each ending once (ImportEndings) and importing a file again to
 * update what already existed (ImportAgain). The doors only render and transport.
 */
@Module({ providers: [ImportEndings, ImportAgain], exports: [ImportEndings, ImportAgain] })
export class ConversationModule {}
