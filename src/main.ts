import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import { startApp } from './app/start';

loadDotenv({ quiet: true });
startApp(process.env).catch((e: unknown) => {
  console.error(`Intake could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
