// C1 bulk import for billing systems: upload a file of delinquent accounts (CSV or JSON lines), follow
// its progress, read its per-row errors. The work happens in the worker process (services/delinquency-imports.ts).
import express, { Router, type RequestHandler } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { HttpProblem } from '../http/problem.ts';
import { registry, z } from '../http/openapi-registry.ts';
import { IdParams } from '../schemas.ts';
import { hasPermission } from '../../domain/access.ts';
import { checkFile, type ImportFormat } from '../../domain/delinquency-files.ts';
import { createImport, getImport, listImportErrors, type ImportSummary } from '../../services/delinquency-imports.ts';
import { enqueueImport } from '../../platform/imports/queue.ts';
import { csvCell } from '../http/csv.ts';

const formats: Record<string, ImportFormat> = { 'text/csv': 'csv', 'application/x-ndjson': 'ndjson' };
const importPath = (id: string) => `/api/v1/delinquencies/imports/${id}`;

const ImportStatus = registry.register(
  'DelinquencyImport',
  z.object({
    id: z.uuid(),
    status: z.enum(['queued', 'running', 'completed', 'failed']),
    format: z.enum(['csv', 'ndjson']),
    filename: z.string().nullable(),
    totalRows: z.number().int().openapi({ description: 'Data rows in the file (known once processing starts)' }),
    processedRows: z.number().int(),
    succeededRows: z.number().int(),
    failedRows: z.number().int(),
    percentDone: z.number().int().min(0).max(100),
    casesOpened: z.number().int(),
    rowsPerSecond: z.number().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    error: z.string().nullable().openapi({ description: 'Why the import failed as a whole (row errors are in /errors)' }),
    errorsUrl: z.string(),
  }),
);
const ImportAccepted = registry.register('DelinquencyImportAccepted', z.object({ id: z.uuid(), status: z.enum(['queued', 'running', 'completed', 'failed']), location: z.string() }));
const ImportRowError = registry.register(
  'ImportRowError',
  z.object({ rowNumber: z.number().int(), accountRef: z.string().nullable(), code: z.string(), message: z.string(), field: z.string().nullable().openapi({ description: 'CSV column, or JSON path for JSON lines' }), details: z.unknown() }),
);
const ErrorsQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(1000).default(100),
  format: z.enum(['json', 'csv']).optional().openapi({ description: 'csv: the whole report as CSV, as with Accept: text/csv (for a plain download link)' }),
});

export function importRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;

  // The file is read only after the caller is known to be allowed to send it, and only for the two formats.
  router.post('/delinquencies/imports', uploadGate, express.text({ type: Object.keys(formats), limit: deps.config.IMPORT_MAX_BYTES, defaultCharset: 'utf-8' }));

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/delinquencies/imports',
    operationId: 'importDelinquencies',
    summary: 'Import a file of delinquent accounts (CSV or JSON lines); processed in the background',
    tag: 'billing',
    permission: 'delinquencies:report',
    query: z.object({ filename: z.string().trim().min(1).max(200).optional() }),
    upload: { contentTypes: Object.keys(formats), description: 'The file itself. CSV: one row per invoice (columns in docs/imports.md); JSON lines: one reportDelinquency body per line.' },
    responses: {
      202: { description: 'Queued; follow the Location', schema: ImportAccepted, headers: { Location: 'The import: GET it for progress' } },
      413: { description: 'The file is larger than IMPORT_MAX_BYTES' },
      415: { description: 'Not text/csv or application/x-ndjson' },
      503: { description: 'The import queue is not configured' },
    },
    handler: async ({ req, principal, actor, query }) => {
      const format = formatOf(req.get('content-type'));
      if (!format) throw new HttpProblem(415, 'unsupported_media_type', 'send the file as text/csv or application/x-ndjson');
      const text = typeof req.body === 'string' ? req.body : ''; // the text parser leaves an empty body undefined
      if (text.includes('\u0000')) throw new HttpProblem(400, 'invalid_file', 'the file is not text (it contains NUL bytes)');
      const checked = checkFile(format, text);
      if (!checked.ok) throw new HttpProblem(400, checked.code, checked.message, checked.missing?.map((column) => ({ path: `header.${column}`, message: 'required column missing' })));
      if (!deps.importQueue) throw new HttpProblem(503, 'imports_unavailable', 'imports are not configured on this server');
      const created = await createImport(db, principal, actor, { format, filename: query.filename ?? null, text });
      await enqueueImport(deps.importQueue, created.id);
      return { status: 202, headers: { Location: importPath(created.id) }, body: { id: created.id, status: created.status, location: importPath(created.id) } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/delinquencies/imports/:id',
    operationId: 'getImport',
    summary: 'Progress of an import: counts, percent done, cases opened, timing',
    tag: 'billing',
    permission: 'delinquencies:report',
    params: IdParams,
    responses: { 200: { description: 'The import', schema: ImportStatus }, 404: { description: 'No such import (or not visible to the caller)' } },
    handler: async ({ params, principal }) => ({ body: importStatusDto(await getImport(db, principal, params.id)) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/delinquencies/imports/:id/errors',
    operationId: 'listImportErrors',
    summary: 'The per-row error report of an import, by row number; Accept: text/csv gives all of it as CSV',
    tag: 'billing',
    permission: 'delinquencies:report',
    params: IdParams,
    query: ErrorsQuery,
    responses: { 200: { description: 'A page of row errors', schema: z.object({ items: z.array(ImportRowError), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() }), alsoAs: ['text/csv'] }, 404: { description: 'No such import' } },
    handler: async ({ params, query, principal, req, res }) => {
      if (query.format === 'csv' || (query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv')) {
        const first = await listImportErrors(db, principal, params.id, { page: 1, pageSize: 1000 });
        res.status(200).type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="import-${params.id}-errors.csv"`);
        res.write('row_number,account_ref,code,field,message\n');
        let page = first;
        for (let n = 1; page.items.length > 0; n++) {
          for (const e of page.items) res.write(`${[String(e.rowNumber), e.accountRef ?? '', e.code, fieldOf(e.details) ?? '', e.message].map(csvCell).join(',')}\n`);
          if (n * 1000 >= page.total) break;
          page = await listImportErrors(db, principal, params.id, { page: n + 1, pageSize: 1000 });
        }
        res.end();
        return;
      }
      const { items, total } = await listImportErrors(db, principal, params.id, query);
      return { body: { items: items.map((e) => ({ rowNumber: e.rowNumber, accountRef: e.accountRef, code: e.code, message: e.message, field: fieldOf(e.details), details: e.details ?? null })), page: query.page, pageSize: query.pageSize, total } };
    },
  });
  return router;
}

/** Refuses early, before a large body is read: the caller must be allowed to import, and send one of the two formats. */
const uploadGate: RequestHandler = (req, _res, next) => {
  const principal = req.auth?.principal;
  if (!principal) throw new HttpProblem(401, 'unauthenticated', 'sign in or present an API key');
  if (!hasPermission(principal, 'delinquencies:report')) throw new HttpProblem(403, 'forbidden', 'this needs the delinquencies:report permission');
  if (!formatOf(req.get('content-type'))) throw new HttpProblem(415, 'unsupported_media_type', 'send the file as text/csv or application/x-ndjson');
  next();
};

function formatOf(contentType: string | undefined): ImportFormat | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return formats[type] ?? null;
}

function importStatusDto(row: ImportSummary, now = new Date()) {
  const done = row.status === 'completed';
  const percentDone = done ? 100 : row.totalRows > 0 ? Math.min(100, Math.floor((row.processedRows * 100) / row.totalRows)) : 0;
  const seconds = row.startedAt ? ((row.finishedAt ?? now).getTime() - row.startedAt.getTime()) / 1000 : 0;
  return {
    id: row.id,
    status: row.status,
    format: row.format as ImportFormat,
    filename: row.filename,
    totalRows: row.totalRows,
    processedRows: row.processedRows,
    succeededRows: row.succeededRows,
    failedRows: row.failedRows,
    percentDone,
    casesOpened: row.casesOpened,
    rowsPerSecond: seconds > 0 ? Math.round((row.processedRows / seconds) * 10) / 10 : null,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    error: row.error,
    errorsUrl: `${importPath(row.id)}/errors`,
  };
}

const fieldOf = (details: unknown): string | null => (details && typeof details === 'object' && 'field' in details && typeof details.field === 'string' ? details.field : null);

