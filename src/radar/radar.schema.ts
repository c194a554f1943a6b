/** The radar's query: a group filter and a page; a value that does not fit is dropped, never a 400. */
import { z } from 'zod';
import { RADAR_GROUPS } from './radar.service.js';

export const radarQuery = z.object({
  group: z.enum(RADAR_GROUPS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
