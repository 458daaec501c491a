/**
 * What every route module receives. Feature route modules build their own small stores over
 * `db` (one better-sqlite3 connection: every store sees the same data, synchronously).
 */
import type { Clock } from '../clock.ts';
import type { EventBus } from '../events.ts';
import type { SqlDatabase } from '../storage/database.ts';
import type { Hono } from 'hono';
import type { ApiEnv } from './request.ts';
import type { AuditSnapshotSource } from '../audit/snapshot.ts';
import type { MitigationActionsPort } from '../mitigation/actions-port.ts';
import type { ViolationSource } from '../mitigation/types.ts';
import { TagRegistry } from './tag-store.ts';

export type ApiLogLevel = 'info' | 'warn' | 'error';
export type ApiLog = (level: ApiLogLevel, message: string) => void;

/**
 * Live services a route may need beyond the database (an engine to start a task, ...). The
 * composition root fills what it has; features add an optional member here with a small edit.
 */
export interface ApiServices {
	/** Every descendant group (all levels) of a thing group, for ListSecurityProfilesForTarget?recursive (registry). */
	readonly thingGroupDescendants?: (groupName: string) => string[];
	/** Whether a thing group exists (registry); AttachSecurityProfile answers 404 for unknown groups when set. */
	readonly thingGroupExists?: (groupName: string) => boolean;
	/** Registry snapshot for audit tasks (host/registry snapshotSource); absent → audits see an empty registry. */
	readonly auditSnapshot?: AuditSnapshotSource;
	/** Run audit tasks in a worker thread (AuditService `inWorker`); absent → synchronously. */
	readonly auditInWorker?: boolean;
	/** What mitigation actions act on (host/mitigation/registry-actions.ts); absent → mitigation tasks fail their executions. */
	readonly mitigationActions?: MitigationActionsPort;
	/** Detect violations for StartDetectMitigationActionsTask. */
	readonly detectViolations?: ViolationSource;
}

export interface ApiContext {
	readonly clock: Clock;
	readonly db: SqlDatabase;
	/** AWS account id used in ARNs (default 123456789012). */
	readonly accountId: string;
	/** AWS region used in ARNs and expected in the SigV4 scope (default us-east-1). */
	readonly region: string;
	readonly events?: EventBus | undefined;
	readonly log: ApiLog;
	readonly services: ApiServices;
	/**
	 * Taggable resource types: a feature calls `ctx.tags.register('securityprofile', (name) => exists)`
	 * in its registerRoutes; TagResource/UntagResource/ListTagsForResource then serve them, and
	 * Create* operations store their `tags` with `tagStoreFor(ctx.db).put(arn, tags)`.
	 */
	readonly tags: TagRegistry;
	/** `arn:aws:iot:<region>:<account>:<resource>` */
	arn(resource: string): string;
}

export type ApiApp = Hono<ApiEnv>;

/** The route-module contract: each feature exports one of these (see routes.ts). */
export type RegisterRoutes = (app: ApiApp, ctx: ApiContext) => void;

export function createApiContext(opts: {
	clock: Clock;
	db: SqlDatabase;
	accountId?: string;
	region?: string;
	events?: EventBus;
	log?: ApiLog;
	services?: ApiServices;
}): ApiContext {
	const accountId = opts.accountId ?? '123456789012';
	const region = opts.region ?? 'us-east-1';
	return Object.freeze({
		clock: opts.clock,
		db: opts.db,
		accountId,
		region,
		events: opts.events,
		log: opts.log ?? (() => {}),
		services: Object.freeze({ ...opts.services }),
		tags: new TagRegistry(),
		arn: (resource: string) => `arn:aws:iot:${region}:${accountId}:${resource}`,
	});
}
