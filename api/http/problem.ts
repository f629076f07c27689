// RFC 9457 problem documents with a stable `code`: the one shape every API error takes.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { ServiceError } from '../../services/errors.ts';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  errors?: Array<{ path: string; message: string }>;
  /** Problem-specific members (RFC 9457 §3.2), e.g. `holder` on account_leased. */
  [member: string]: unknown;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail?: string,
    readonly errors?: ProblemDocument['errors'],
  ) {
    super(detail ?? code);
  }
}

export function problem(status: number, code: string, detail?: string, errors?: ProblemDocument['errors']): ProblemDocument {
  return { type: `https://arrears.dev/problems/${code}`, title: titles[status] ?? 'Error', status, code, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) };
}

export function zodErrors(error: ZodError): NonNullable<ProblemDocument['errors']> {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message }));
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).type('application/problem+json').json({ ...problem(404, 'route_not_found', `no route for ${req.method} ${req.path}`), instance: req.originalUrl });
};

export const problemHandler: ErrorRequestHandler = (error, req, res, _next) => {
  let doc: ProblemDocument;
  if (error instanceof HttpProblem) doc = problem(error.status, error.code, error.message, error.errors);
  else if (error instanceof ServiceError) doc = { ...problem(error.status, error.code, error.message, error.errors), ...error.extra };
  else if (error instanceof ZodError) doc = problem(400, 'validation_failed', 'the request is not valid', zodErrors(error));
  else if (error?.type === 'entity.parse.failed') doc = problem(400, 'malformed_json', 'the body is not valid JSON');
  else if (error?.type === 'entity.too.large') doc = problem(413, 'payload_too_large', 'the body is too large');
  else if (typeof error?.status === 'number' && error.status >= 400 && error.status < 500) doc = problem(error.status, 'bad_request', error.message);
  else {
    req.log?.error({ err: error }, 'unhandled error');
    doc = problem(500, 'internal_error', 'something went wrong on our side; it has been logged');
  }
  res.status(doc.status).type('application/problem+json').json({ ...doc, instance: req.originalUrl });
};
