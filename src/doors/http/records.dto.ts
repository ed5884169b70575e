import { z } from 'zod';

/** `GET /records/{type}` and a company's contacts: a page of records. */
export const recordsPageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).meta({ description: 'The page, 1 being the first' }),
  limit: z.coerce.number().int().min(1).max(500).default(50).meta({ description: 'Records per page' }),
});
