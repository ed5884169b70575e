/** A backing service this process started, and how to reach and stop it. */
export type StartedService = { name: string; url: string; stop(): Promise<void> };
