// One OpenAPI registry for the whole API; routes register themselves as they are defined, so the
// document served at /api/v1/openapi.json cannot drift from the validation the routes do.
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export const registry = new OpenAPIRegistry();

registry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'arrears_session' });
registry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key' });

export const ProblemSchema = registry.register(
  'Problem',
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().openapi({ description: 'Stable, machine-readable error code' }),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
);

let cached: object | undefined;

export function openApiDocument(): object {
  cached ??= new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Arrears collections API',
      version: '1.0.0',
      description: 'Collections management: delinquent accounts, cases, payments. Errors are RFC 9457 problem documents with a stable `code`.',
    },
    servers: [{ url: '/' }],
    security: [{ session: [] }, { apiKey: [] }],
  });
  return cached;
}

export { z };
