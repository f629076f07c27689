// Signed-in API clients for integration tests: a user of a role (and branch) created for the test,
// signed in through the API, with the CSRF token set on every write.
import request from 'supertest';
import type { Role } from '../../domain/access.ts';
import { createUser, testPassword } from './fixtures.ts';
import type { TestSystem } from './system.ts';

export interface Agent {
  userId: string;
  name: string;
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  patch(path: string, body: object): request.Test;
  put(path: string, body: object): request.Test;
  del(path: string): request.Test;
}

export async function signIn(system: TestSystem, role: Role, branchId: string | null): Promise<Agent> {
  const user = await createUser(system.database.db, role, branchId);
  const agent = request.agent(system.app);
  const res = await agent.post('/api/v1/auth/login').send({ email: user.email, password: testPassword });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  const csrf = res.body.csrfToken as string;
  return {
    userId: user.id,
    name: user.name,
    get: (path) => agent.get(`/api/v1${path}`),
    post: (path, body) => agent.post(`/api/v1${path}`).set('x-csrf-token', csrf).send(body ?? {}),
    patch: (path, body) => agent.patch(`/api/v1${path}`).set('x-csrf-token', csrf).send(body),
    put: (path, body) => agent.put(`/api/v1${path}`).set('x-csrf-token', csrf).send(body),
    del: (path) => agent.delete(`/api/v1${path}`).set('x-csrf-token', csrf),
  };
}
