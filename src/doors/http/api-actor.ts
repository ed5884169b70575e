import type { Actor } from '../../engine/imports/import.schema';

/** An API key names no person: an import's history says only that the act came through the API. */
export const API_ACTOR: Actor = { door: 'api', person: null };
