/**
 * Every feature's API routes, in one list. To add yours: export
 * `registerRoutes(app: ApiApp, ctx: ApiContext)` from your feature folder (e.g.
 * `host/<feature>/api-routes.ts`) and add ONE import + ONE array entry below. Routes use the
 * helpers in ./request.ts and ./fields.ts and throw ApiError (./aws-errors.ts); see docs/api.md
 * and docs/api-coverage.md.
 */
import type { RegisterRoutes } from './context.ts';
import { registerRoutes as detectConfig } from '../detect/config/api-routes.ts';
import { registerRoutes as detectViolations } from '../detect/api/api-routes.ts';
import { registerRoutes as registryCertificates } from '../registry/api-routes-certificates.ts';
import { registerRoutes as registryThings } from '../registry/api-routes-things.ts';
import { registerRoutes as audit } from '../audit/api-routes.ts';
import { registerRoutes as mitigation } from '../mitigation/api-routes.ts';

export const ROUTE_MODULES: readonly RegisterRoutes[] = [
	detectConfig,
	detectViolations,
	registryCertificates,
	registryThings,
	audit,
	mitigation,
];
