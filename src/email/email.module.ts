import { Module } from '@nestjs/common';

/** The email door (issue 4): loaded with the smtp role. */
@Module({})
export class EmailModule {}
