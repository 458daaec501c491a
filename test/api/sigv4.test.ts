import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ListDimensionsCommand, DescribeDimensionCommand, IoTClient } from '@aws-sdk/client-iot';
import { SignatureV4 } from '@smithy/signature-v4';
import { ApiError } from '../../host/api/aws-errors.ts';
import type { RegisterRoutes } from '../../host/api/context.ts';
import { jsonBody, pathParam } from '../../host/api/request.ts';
import { NodeSha256 } from '../../host/api/sigv4.ts';
import { rejection, startTestApi, TEST_CREDENTIALS, type TestApi } from './helpers.ts';

/** A tiny route module exercising the framework (not a feature). */
const probeRoutes: RegisterRoutes = (app) => {
	app.get('/dimensions', (c) => c.json({ dimensionNames: ['probe'] }));
	app.get('/dimensions/:name', (c) => {
		const name = pathParam(c, 'name');
		if (name === 'missing') throw new ApiError('ResourceNotFoundException', 'no such dimension');
		return c.json({ name, arn: `arn:aws:iot:us-east-1:123456789012:dimension/${name}`, type: 'TOPIC_FILTER', stringValues: ['a/#'], creationDate: 1700000000.5 });
	});
	app.post('/echo', (c) => c.json({ got: jsonBody(c) }));
};

async function signedFetch(t: TestApi, opts: { method?: string; path: string; body?: string; secret?: string; date?: Date; service?: string; mutate?: (h: Record<string, string>) => void }) {
	const url = new URL(opts.path, t.api.endpoint);
	const signer = new SignatureV4({
		credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: opts.secret ?? TEST_CREDENTIALS.secretAccessKey },
		region: 'us-east-1',
		service: opts.service ?? 'iot',
		sha256: NodeSha256,
	});
	const query: Record<string, string> = {};
	url.searchParams.forEach((v, k) => (query[k] = v));
	const headers: Record<string, string> = { host: url.host };
	if (opts.body !== undefined) headers['content-type'] = 'application/json';
	const signed = await signer.sign(
		{ method: opts.method ?? 'GET', protocol: 'http:', hostname: url.hostname, port: +url.port, path: url.pathname, query, headers, body: opts.body },
		{ signingDate: opts.date ?? new Date() },
	);
	const h = { ...(signed.headers as Record<string, string>) };
	delete h.host;
	opts.mutate?.(h);
	const init: RequestInit = { method: opts.method ?? 'GET', headers: h };
	if (opts.body !== undefined) init.body = opts.body;
	return fetch(url, init);
}

const sdk = suite('SigV4 with the official IoTClient');
let t: TestApi;
sdk.before(async () => {
	t = await startTestApi([probeRoutes]);
});
sdk.after(async () => t.close());

sdk('a signed SDK request succeeds and parses', async () => {
	const out = await t.client.send(new ListDimensionsCommand({}));
	assert.equal(out.dimensionNames, ['probe']);
	assert.is(out.$metadata.httpStatusCode, 200);
});

sdk('path labels with reserved characters survive signing and decoding', async () => {
	const out = await t.client.send(new DescribeDimensionCommand({ name: 'a:b_c-d' }));
	assert.is(out.name, 'a:b_c-d');
	assert.instance(out.creationDate, Date);
	assert.is(out.creationDate?.getTime(), 1700000000500);
});

sdk('an ApiError reaches the SDK as the named exception with its status', async () => {
	const e = await rejection(() => t.client.send(new DescribeDimensionCommand({ name: 'missing' })));
	assert.is(e.name, 'ResourceNotFoundException');
	assert.is(e.$metadata?.httpStatusCode, 404);
	assert.is(e.message, 'no such dimension');
});

sdk('a wrong secret is refused with 403 InvalidSignatureException', async () => {
	const bad = new IoTClient({ endpoint: t.api.endpoint, region: 'us-east-1', credentials: { ...TEST_CREDENTIALS, secretAccessKey: 'x'.repeat(40) }, maxAttempts: 1 });
	const e = await rejection(() => bad.send(new ListDimensionsCommand({})));
	bad.destroy();
	assert.is(e.name, 'InvalidSignatureException');
	assert.is(e.$metadata?.httpStatusCode, 403);
});

sdk('an unknown access key is refused with 403 UnrecognizedClientException', async () => {
	const bad = new IoTClient({ endpoint: t.api.endpoint, region: 'us-east-1', credentials: { ...TEST_CREDENTIALS, accessKeyId: 'AKIAUNKNOWN000000000' }, maxAttempts: 1 });
	const e = await rejection(() => bad.send(new ListDimensionsCommand({})));
	bad.destroy();
	assert.is(e.name, 'UnrecognizedClientException');
	assert.is(e.$metadata?.httpStatusCode, 403);
});

sdk('a client clock 10 minutes slow: 403 Signature expired, then the SDK corrects its skew from the Date header', async () => {
	const once = new IoTClient({ endpoint: t.api.endpoint, region: 'us-east-1', credentials: { ...TEST_CREDENTIALS }, maxAttempts: 1, systemClockOffset: -10 * 60_000 });
	const e = await rejection(() => once.send(new ListDimensionsCommand({})));
	once.destroy();
	assert.is(e.name, 'InvalidSignatureException');
	assert.is(e.$metadata?.httpStatusCode, 403);
	assert.match(e.message, /^Signature expired/);
	const retrying = new IoTClient({ endpoint: t.api.endpoint, region: 'us-east-1', credentials: { ...TEST_CREDENTIALS }, maxAttempts: 2, systemClockOffset: -10 * 60_000 });
	const ok = await retrying.send(new ListDimensionsCommand({}));
	retrying.destroy();
	assert.equal(ok.dimensionNames, ['probe']);
	assert.is(ok.$metadata.attempts, 2);
});

sdk.run();

const raw = suite('SigV4 on raw requests');
raw.before(async () => {
	t = await startTestApi([probeRoutes]);
});
raw.after(async () => t.close());

raw('an unsigned request gets 403 MissingAuthenticationTokenException in the AWS shape', async () => {
	const res = await fetch(`${t.api.endpoint}/dimensions`);
	assert.is(res.status, 403);
	assert.is(res.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
	assert.equal(await res.json(), { message: 'Missing Authentication Token' });
});

raw('a correctly signed raw request with a body passes', async () => {
	const res = await signedFetch(t, { method: 'POST', path: '/echo', body: '{"a":[1,2]}' });
	assert.is(res.status, 200);
	assert.equal(await res.json(), { got: { a: [1, 2] } });
});

raw('a body changed after signing is refused', async () => {
	const url = new URL('/echo', t.api.endpoint);
	const res = await signedFetch(t, { method: 'POST', path: url.pathname, body: '{"a":1}', mutate: () => {} });
	assert.is(res.status, 200);
	const tampered = await signedFetch(t, {
		method: 'POST',
		path: '/echo',
		body: '{"a":1}',
		mutate: (h) => {
			h['content-type'] = 'application/json; charset=x';
		},
	});
	assert.is(tampered.status, 403);
	assert.is(tampered.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
});

raw('a stale date (10 minutes old) is refused with Signature expired', async () => {
	const res = await signedFetch(t, { path: '/dimensions', date: new Date(Date.now() - 10 * 60_000) });
	assert.is(res.status, 403);
	assert.is(res.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
	assert.match(((await res.json()) as { message: string }).message, /^Signature expired: /);
});

raw('a date 10 minutes in the future is refused', async () => {
	const res = await signedFetch(t, { path: '/dimensions', date: new Date(Date.now() + 10 * 60_000) });
	assert.is(res.status, 403);
	assert.match(((await res.json()) as { message: string }).message, /^Signature not yet current: /);
});

raw('a signature for another service name is refused', async () => {
	const res = await signedFetch(t, { path: '/dimensions', service: 's3' });
	assert.is(res.status, 403);
	assert.is(res.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
});

raw('a garbled Authorization header is refused, the server keeps serving', async () => {
	const res = await fetch(`${t.api.endpoint}/dimensions`, { headers: { authorization: 'AWS4-HMAC-SHA256 nonsense', 'x-amz-date': '20260101T000000Z' } });
	assert.is(res.status, 403);
	const ok = await t.client.send(new ListDimensionsCommand({}));
	assert.equal(ok.dimensionNames, ['probe']);
});

raw('an unknown path (signed) gets 404 UnknownOperationException', async () => {
	const res = await signedFetch(t, { path: '/no-such-thing' });
	assert.is(res.status, 404);
	assert.is(res.headers.get('x-amzn-errortype'), 'UnknownOperationException');
});

raw('every response carries a Date header from the service clock', async () => {
	const res = await signedFetch(t, { path: '/dimensions' });
	const d = Date.parse(res.headers.get('date') ?? '');
	assert.ok(Math.abs(d - Date.now()) < 5000);
});

raw.run();
