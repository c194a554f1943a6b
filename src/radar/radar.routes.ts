/**
 * GET /radar (support staff): every organization by certificate expiry, with counts per group,
 * a group filter, pages of 100, when it was fetched and a refresh button; GET /radar.csv exports
 * the same (filtered) rows. POST /radar/refresh drops the cache. Facturapi's errors (the first
 * page failing) are left to the error handler, which maps them once.
 */
import { Router, type RequestHandler } from 'express';
import { formBody } from '../web/form-body.js';
import { csrfProtection } from '../web/csrf.js';
import { sendCsv } from '../web/csv-response.js';
import { validate } from '../web/validate.js';
import type { Translate } from '../i18n/index.js';
import { radarQuery } from './radar.schema.js';
import { RADAR_GROUPS, type Radar, type RadarRow } from './radar.service.js';

/** Rows per page of the radar (its own pages, not Facturapi's). */
const PAGE_SIZE = 100;

function csvRows(rows: RadarRow[], t: Translate) {
  return [
    [t('radar.csv.organization'), t('radar.csv.legalName'), t('radar.csv.rfc'), t('radar.csv.id'), t('radar.csv.group'), t('radar.csv.certificateNumber'), t('radar.csv.expiresAt'), t('radar.csv.daysLeft'), t('radar.csv.fielNumber'), t('radar.csv.fielExpiresAt'), t('radar.csv.fielDaysLeft')],
    // The e.firma's columns come last, its days counted by the same rule as the CSD's (radar.service.ts).
    ...rows.map(({ organization: o, badge, group, fielBadge }) => {
      return [
      o.name,
      o.legalName,
      o.rfc,
      o.id,
      t(`radar.group.${group}`),
      o.certificate.serialNumber,
      o.certificate.expiresAt?.toISOString() ?? '',
      badge.daysLeft,
      o.fiel.serialNumber,
      o.fiel.expiresAt?.toISOString() ?? '',
      fielBadge.daysLeft,
    ];
    }),
  ];
}

export function radarRouter(deps: { radar: Radar; guard: RequestHandler }): Router {
  const router = Router();
  router.get('/radar', deps.guard, async (req, res) => {
    const { group, page = 1 } = validate(radarQuery, req.query);
    const snapshot = await deps.radar.get();
    const filtered = group ? snapshot.rows.filter((r) => r.group === group) : snapshot.rows;
    const totalPages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
    const current = Math.min(page, totalPages);
    res.render('radar', {
      snapshot,
      group: group ?? null,
      groups: RADAR_GROUPS,
      rows: filtered.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE),
      page: current,
      totalPages,
      total: filtered.length,
    });
  });

  router.get('/radar.csv', deps.guard, async (req, res) => {
    const { group } = validate(radarQuery, req.query);
    const snapshot = await deps.radar.get();
    const rows = group ? snapshot.rows.filter((r) => r.group === group) : snapshot.rows;
    sendCsv(res, `radar-${snapshot.fetchedAt.toISOString().slice(0, 10)}.csv`, csvRows(rows, res.locals.t as Translate));
  });

  router.post('/radar/refresh', deps.guard, formBody, csrfProtection, async (_req, res) => {
    await deps.radar.forget();
    res.redirect(303, '/radar');
  });

  return router;
}
