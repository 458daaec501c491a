/** Shared set-up for API tests: a running API with real SQLite in a temp dir and an IoTClient for it. */
import { IoTClient } from '@aws-sdk/client-iot';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../host/clock.ts';
import { createApiContext, type ApiContext, type RegisterRoutes } from '../../host/api/context.ts';
import type { ApiCredentials } from '../../host/api/credentials.ts';
import { startApi, type RunningApi } from '../../host/api/server.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import type { SqlDatabase } from '../../host/storage/database.ts';

// The SDK warns once per process that its 2027 releases need Node 22; it says nothing about our tests.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const TEST_CREDENTIALS: ApiCredentials = Object.freeze({
	accessKeyId: 'AKIAWARDENTEST0001',
	secretAccessKey: 'wardenTestSecretKey/000000000000000000000',
});

export interface TestApi {
	api: RunningApi;
	ctx: ApiContext;
	db: SqlDatabase;
	client: IoTClient;
	logs: string[];
	close(): Promise<void>;
}

export async function startTestApi(routes: readonly RegisterRoutes[], opts: { clock?: Clock; setup?: (db: SqlDatabase) => void } = {}): Promise<TestApi> {
	const dir = mkdtempSync(join(tmpdir(), 'warden-api-'));
	const db = openSqlite(join(dir, 'warden.db'));
	opts.setup?.(db);
	const logs: string[] = [];
	const ctx = createApiContext({ clock: opts.clock ?? systemClock, db, log: (level, m) => logs.push(`${level}: ${m}`) });
	const api = await startApi({ port: 0, ctx, credentials: TEST_CREDENTIALS, routes });
	const client = new IoTClient({ endpoint: api.endpoint, region: 'us-east-1', credentials: { ...TEST_CREDENTIALS }, maxAttempts: 1 });
	return {
		api,
		ctx,
		db,
		client,
		logs,
		async close() {
			client.destroy();
			await api.close();
			db.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** Run `fn`, expecting it to reject; returns the error for assertions. */
export async function rejection(fn: () => Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
	try {
		await fn();
	} catch (e) {
		return e as Error & { $metadata?: { httpStatusCode?: number } };
	}
	throw new Error('expected a rejection');
}
