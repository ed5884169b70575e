import { Module } from '@nestjs/common';

/** The Slack door (issue 3): loaded with the api role when Slack's tokens are set. */
@Module({})
export class SlackModule {}
