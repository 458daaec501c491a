/** Shared pieces of the registry's HTTP routes: the registry handle, error mapping, paging, query flags. */
import { ApiError } from '../api/aws-errors.ts';
import type { ApiContext } from '../api/context.ts';
import { type ApiCtx, paginate, queryBool, queryInt, queryString } from '../api/request.ts';
import { isWardenError } from '../errors.ts';
import { type Registry, registryFor } from './registry.ts';

export function registryOf(ctx: ApiContext): Registry {
	return registryFor({ db: ctx.db, clock: ctx.clock, accountId: ctx.accountId, region: ctx.region });
}

/** Run a registry call, turning its WardenError into the AWS error shape. */
export function call<T>(fn: () => T): T {
	try {
		return fn();
	} catch (e) {
		if (!isWardenError(e)) throw e;
		const m = e.message;
		switch (e.code) {
			case 'WARDEN_ERR_REGISTRY_NOT_FOUND': throw new ApiError('ResourceNotFoundException', m);
			case 'WARDEN_ERR_REGISTRY_EXISTS': {
				const d = e.detail ?? {};
				throw new ApiError('ResourceAlreadyExistsException', m, { resourceId: d.resourceId, resourceArn: d.resourceArn });
			}
			case 'WARDEN_ERR_REGISTRY_INVALID': throw new ApiError(m.includes('CertificateStateException') ? 'CertificateStateException' : 'InvalidRequestException', m);
			case 'WARDEN_ERR_REGISTRY_CONFLICT': throw new ApiError(m.includes('VersionConflictException') ? 'VersionConflictException' : 'DeleteConflictException', m);
			case 'WARDEN_ERR_REGISTRY_LIMIT': throw new ApiError('LimitExceededException', m);
			case 'WARDEN_ERR_CERT_INVALID': throw new ApiError('CertificateValidationException', m);
			case 'WARDEN_ERR_POLICY_INVALID': throw new ApiError('MalformedPolicyException', m);
			default: throw new ApiError('InvalidRequestException', m);
		}
	}
}

/** `marker` / `pageSize` paging (certificates, CAs, policies, role aliases, attachments). */
export function markerPage<T>(c: ApiCtx, all: readonly T[], tag: string): { items: T[]; nextMarker?: string } {
	const p = paginate(all, { nextToken: queryString(c, 'marker', { min: 1, max: 4096 }), maxResults: queryInt(c, 'pageSize', 1, 250), tag });
	return p.nextToken ? { items: p.items, nextMarker: p.nextToken } : { items: p.items };
}

/** `nextToken` / `maxResults` paging (things, groups, principals). */
export function tokenPage<T>(c: ApiCtx, all: readonly T[], tag: string): { items: T[]; nextToken?: string } {
	return paginate(all, { nextToken: queryString(c, 'nextToken', { min: 1, max: 4096 }), maxResults: queryInt(c, 'maxResults', 1, 250), tag });
}

export function flag(c: ApiCtx, name: string): boolean | undefined {
	return queryBool(c, name);
}

/** restJson1 body timestamps are epoch seconds (spec §7.3). */
export const sec = (ms: number) => ms / 1000;

/** The `x-amzn-principal` header of the thing-principal operations. */
export function principalHeader(c: ApiCtx): string {
	const p = c.req.header('x-amzn-principal');
	if (!p) throw new ApiError('InvalidRequestException', 'header x-amzn-principal is required');
	return p;
}
