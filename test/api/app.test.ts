/** The API app without sockets (`app.request()`): SigV4 against a VirtualClock, error shapes, Date header. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createApiApp } from '../../host/api/app.ts';
import { ApiError, AWS_ERROR_STATUS, errorResponse } from '../../host/api/aws-errors.ts';
import { createApiContext, type RegisterRoutes } from '../../host/api/context.ts';
import { epochSeconds, jsonBody, pageQuery, paginate, queryDate } from '../../host/api/request.ts';
import { VirtualClock } from '../../host/clock.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../host/api/sigv4.ts';
import { TEST_CREDENTIALS } from './helpers.ts';
import { signedRequest } from './signed-request.ts';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const clock = new VirtualClock(T0);
const items = Array.from({ length: 7 }, (_, i) => `item${i}`);
const probe: RegisterRoutes = (app, ctx) => {
	app.get('/items', (c) => {
		const page = paginate(items, { ...pageQuery(c, 5), tag: 'items' });
		return c.json({ items: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
	});
	app.get('/since', (c) => c.json({ at: epochSeconds(queryDate(c, 'startTime', true)!), arn: ctx.arn('thing/x') }));
	app.post('/boom', (c) => {
		jsonBody(c);
		throw new Error('unexpected');
	});
	app.post('/exists', () => {
		throw new ApiError('ResourceAlreadyExistsException', 'dup', { resourceId: 'x', resourceArn: 'arn:x' });
	});
};
const logs: string[] = [];
const app = createApiApp({ ctx: createApiContext({ clock, db: openSqlite(':memory:'), log: (l, m) => logs.push(`${l}: ${m}`) }), credentials: TEST_CREDENTIALS, routes: [probe], authClock: clock });

const sig = suite('SigV4 against the service clock');

sig('a request signed at the virtual time passes; the Date header is the virtual time', async () => {
	const res = await signedRequest(app, { path: '/items', date: new Date(T0) });
	assert.is(res.status, 200);
	assert.is(res.headers.get('date'), new Date(T0).toUTCString());
	assert.ok(res.headers.get('x-amzn-requestid'));
});

sig('4 minutes of skew is accepted, 6 minutes is not (either direction)', async () => {
	assert.is((await signedRequest(app, { path: '/items', date: new Date(T0 - 4 * 60_000) })).status, 200);
	assert.is((await signedRequest(app, { path: '/items', date: new Date(T0 + 4 * 60_000) })).status, 200);
	const old = await signedRequest(app, { path: '/items', date: new Date(T0 - 6 * 60_000) });
	assert.is(old.status, 403);
	assert.is(((await old.json()) as { message: string }).message, 'Signature expired: 20260601T115400Z is now earlier than 20260601T115500Z (20260601T120000Z - 5 min.)');
	const future = await signedRequest(app, { path: '/items', date: new Date(T0 + 6 * 60_000) });
	assert.is(future.status, 403);
	assert.is(future.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
});

sig('after the clock moves on, the same signing time is stale', async () => {
	clock.advance(10 * 60_000);
	const res = await signedRequest(app, { path: '/items', date: new Date(T0) });
	assert.is(res.status, 403);
	const now = await signedRequest(app, { path: '/items', date: new Date(clock.now()) });
	assert.is(now.status, 200);
});

sig('a query parameter changed after signing is refused', async () => {
	const url = '/items?maxResults=2';
	const good = await signedRequest(app, { path: url, date: new Date(clock.now()) });
	assert.is(good.status, 200);
	// send the headers of a request signed for maxResults=2 with maxResults=3
	const signer = new SignatureV4({ credentials: { ...TEST_CREDENTIALS }, region: 'us-east-1', service: 'iot', sha256: NodeSha256 });
	const s = await signer.sign({ method: 'GET', protocol: 'http:', hostname: 'warden.test', path: '/items', query: { maxResults: '2' }, headers: { host: 'warden.test' } }, { signingDate: new Date(clock.now()) });
	const res = await app.request('http://warden.test/items?maxResults=3', { headers: s.headers as Record<string, string> });
	assert.is(res.status, 403);
	assert.is(res.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
});

sig.run();

const shapes = suite('restJson1 responses');

shapes('errorResponse: status from the error shape, header, message and extra members', async () => {
	const res = errorResponse(new ApiError('LimitExceededException', 'too many'));
	assert.is(res.status, 410);
	assert.is(res.headers.get('x-amzn-errortype'), 'LimitExceededException');
	assert.equal(await res.json(), { message: 'too many' });
	assert.is(AWS_ERROR_STATUS.ThrottlingException, 400);
	assert.is(AWS_ERROR_STATUS.VersionConflictException, 409);
	const dup = await signedRequest(app, { method: 'POST', path: '/exists', body: '{}', date: new Date(clock.now()) });
	assert.is(dup.status, 409);
	assert.equal(await dup.json(), { resourceId: 'x', resourceArn: 'arn:x', message: 'dup' });
});

shapes('an unexpected exception is a 500 InternalFailureException, logged, and the app keeps serving', async () => {
	const res = await signedRequest(app, { method: 'POST', path: '/boom', body: '{}', date: new Date(clock.now()) });
	assert.is(res.status, 500);
	assert.is(res.headers.get('x-amzn-errortype'), 'InternalFailureException');
	assert.equal(await res.json(), { message: 'An internal error occurred.' });
	assert.is(logs.length, 1);
	assert.match(logs[0]!, /^error: api: POST \/boom failed: Error: unexpected/);
	assert.is((await signedRequest(app, { path: '/items', date: new Date(clock.now()) })).status, 200);
});

shapes('pagination walks every item once; query dates are ISO-8601; ARNs use the account and region', async () => {
	const seen: string[] = [];
	let token: string | undefined;
	do {
		const res = await signedRequest(app, { path: `/items?maxResults=3${token ? `&nextToken=${token}` : ''}`, date: new Date(clock.now()) });
		const body = (await res.json()) as { items: string[]; nextToken?: string };
		seen.push(...body.items);
		token = body.nextToken;
	} while (token);
	assert.equal(seen, items);
	const tooMany = await signedRequest(app, { path: '/items?maxResults=6', date: new Date(clock.now()) });
	assert.is(tooMany.status, 400);
	const since = await signedRequest(app, { path: '/since?startTime=2020-07-31T00:00:00.500Z', date: new Date(clock.now()) });
	assert.equal(await since.json(), { at: 1596153600.5, arn: 'arn:aws:iot:us-east-1:123456789012:thing/x' });
	const bad = await signedRequest(app, { path: '/since?startTime=yesterday', date: new Date(clock.now()) });
	assert.is(bad.status, 400);
});

shapes.run();
