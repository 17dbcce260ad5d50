/**
 * OpenAPI for kubectl. `kubectl apply` validates by default: it reads the /openapi/v3 index and
 * falls back to /openapi/v2, which kubectl decodes only as protobuf (K8S-WIRE §2). An empty v3
 * index and an empty v2 protobuf document let validation pass and leave strategic merge patches
 * to kubectl's compiled-in types.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotFound } from '../api/errors';
import { sendJson, sendRaw } from './http';
import type { Registry } from './registry';

const protobufV2 = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

export function serveOpenApi(req: IncomingMessage, res: ServerResponse, path: string, _registry: Registry): void {
  if (path === '/openapi/v2') {
    const accept = String(req.headers.accept ?? '');
    if (accept.includes('protobuf')) sendRaw(res, 200, '', protobufV2);
    else sendJson(res, 200, { swagger: '2.0', info: { title: 'berth', version: 'v1.32.0' }, paths: {}, definitions: {} });
    return;
  }
  if (path === '/openapi/v3') {
    sendJson(res, 200, { paths: {} });
    return;
  }
  throw new NotFound('the server could not find the requested resource');
}
