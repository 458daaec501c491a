import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCredentials, credentialsFile, generateCredentials, loadOrCreateCredentials } from '../../host/api/credentials.ts';
import { isWardenError } from '../../host/errors.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'warden-cred-'));

function configError(fn: () => unknown): string {
	try {
		fn();
	} catch (e) {
		assert.ok(isWardenError(e));
		assert.is(e.code, 'WARDEN_ERR_CONFIG');
		return e.message;
	}
	throw new Error('expected WARDEN_ERR_CONFIG');
}

const load = suite('loadOrCreateCredentials');

load('first start generates credentials.json with mode 0600; later starts reuse it', () => {
	const dir = tmp();
	const first = loadOrCreateCredentials(dir);
	assert.is(first.source, 'generated');
	assert.match(first.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
	assert.is(first.secretAccessKey.length, 40);
	assert.is(statSync(credentialsFile(dir)).mode & 0o777, 0o600);
	assert.equal(JSON.parse(readFileSync(credentialsFile(dir), 'utf8')), { accessKeyId: first.accessKeyId, secretAccessKey: first.secretAccessKey });
	const second = loadOrCreateCredentials(dir);
	assert.is(second.source, 'file');
	assert.is(second.accessKeyId, first.accessKeyId);
	assert.is(second.secretAccessKey, first.secretAccessKey);
	rmSync(dir, { recursive: true });
});

load('environment values win over the file and are validated', () => {
	const dir = tmp();
	const env = { WARDEN_ACCESS_KEY_ID: 'AKIAENVENVENVENV0001', WARDEN_SECRET_ACCESS_KEY: 'envSecretenvSecretenvSecret' };
	const c = loadOrCreateCredentials(dir, env);
	assert.is(c.source, 'env');
	assert.is(c.accessKeyId, env.WARDEN_ACCESS_KEY_ID);
	assert.throws(() => statSync(credentialsFile(dir)));
	assert.match(configError(() => loadOrCreateCredentials(dir, { WARDEN_ACCESS_KEY_ID: env.WARDEN_ACCESS_KEY_ID })), /must be set together/);
	assert.match(configError(() => loadOrCreateCredentials(dir, { ...env, WARDEN_ACCESS_KEY_ID: 'lower-case' })), /access key id/);
	assert.match(configError(() => loadOrCreateCredentials(dir, { ...env, WARDEN_SECRET_ACCESS_KEY: 'short' })), /secret access key/);
	rmSync(dir, { recursive: true });
});

load('a corrupt credentials.json is a clear configuration error', () => {
	const dir = tmp();
	writeFileSync(credentialsFile(dir), '{nope');
	assert.match(configError(() => loadOrCreateCredentials(dir)), /is not valid JSON/);
	writeFileSync(credentialsFile(dir), '{"accessKeyId":"AKIA1234567890123456"}');
	assert.match(configError(() => loadOrCreateCredentials(dir)), /secret access key/);
	rmSync(dir, { recursive: true });
});

load.run();

const gen = suite('generateCredentials');
gen('fresh, distinct, and valid by checkCredentials', () => {
	const a = generateCredentials();
	const b = generateCredentials();
	assert.is.not(a.accessKeyId, b.accessKeyId);
	assert.is.not(a.secretAccessKey, b.secretAccessKey);
	assert.equal(checkCredentials(a, 'x'), a);
});
gen.run();
