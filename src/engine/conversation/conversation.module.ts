import { Module } from '@nestjs/common';
import { ImportEndings } from './import-endings';

/**
 * What Slack and email share of a conversation about an import: "ready to start?" (readiness), how it
 * ended (import-summary) and hearing of each ending once (ImportEndings). The doors only render and
 * transport; what they ask of an import is a use case (src/engine/use-cases).
 */
@Module({ providers: [ImportEndings], exports: [ImportEndings] })
export class ConversationModule {}
