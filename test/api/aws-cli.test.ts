/**
 * A second, independent SigV4 implementation: the AWS CLI (botocore) against a running API.
 * The test command installs Debian's `awscli` (scripts/ensure-debian-deps.sh); a missing CLI fails.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { registerRoutes } from '../../host/detect/config/api-routes.ts';
import { startTestApi, TEST_CREDENTIALS, type TestApi } from './helpers.ts';

/** Debian's awscli, by path: a shim of another Python install on PATH may not work. */
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const available = await execa(AWS, ['--version'], { reject: false, timeout: 20_000 }).then((r) => r.exitCode === 0, () => false);

const cli = suite('AWS CLI against Warden');
let t: TestApi;
cli.before(async () => {
	t = await startTestApi([registerRoutes]);
});
cli.after(async () => t.close());

async function aws(args: string[], secret = TEST_CREDENTIALS.secretAccessKey) {
	const r = await execa(AWS, ['iot', ...args, '--endpoint-url', t.api.endpoint, '--output', 'json'], {
		reject: false,
		timeout: 30_000,
		extendEnv: false,
		env: {
			PATH: process.env.PATH ?? '',
			HOME: process.env.HOME ?? '/tmp',
			AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
			AWS_SECRET_ACCESS_KEY: secret,
			AWS_DEFAULT_REGION: 'us-east-1',
			AWS_REGION: 'us-east-1',
			AWS_CONFIG_FILE: '/dev/null',
			AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
			AWS_EC2_METADATA_DISABLED: 'true',
			AWS_PAGER: '',
		},
	});
	return { code: r.exitCode, out: r.stdout, err: r.stderr };
}

cli('the aws CLI is installed', () => {
	assert.ok(available, 'aws CLI not found: run scripts/ensure-debian-deps.sh (Debian package awscli)');
});

{
	cli('create and describe a profile whose name needs percent-encoding; a wrong secret is InvalidSignatureException', async () => {
		const behaviors = JSON.stringify([{ name: 'ports', metric: 'aws:listening-tcp-ports', criteria: { comparisonOperator: 'in-port-set', value: { ports: [443] } } }]);
		const sp = await aws(['create-security-profile', '--security-profile-name', 'my:profile', '--behaviors', behaviors]);
		assert.is(sp.code, 0, sp.err);
		assert.is(JSON.parse(sp.out).securityProfileArn, 'arn:aws:iot:us-east-1:123456789012:securityprofile/my:profile');
		const [d, bad] = await Promise.all([aws(['describe-security-profile', '--security-profile-name', 'my:profile']), aws(['list-dimensions'], 'x'.repeat(40))]);
		assert.is(d.code, 0, d.err);
		const body = JSON.parse(d.out);
		assert.is(body.version, 1);
		assert.equal(body.behaviors[0].criteria.value, { ports: [443] });
		// AWS CLI v1 prints epoch seconds, v2 ISO 8601: either way it is the creation time
		const created = typeof body.creationDate === 'number' ? body.creationDate * 1000 : Date.parse(body.creationDate);
		assert.ok(Number.isFinite(created) && Math.abs(created - Date.now()) < 3_600_000, `creationDate ${body.creationDate}`);
		assert.is.not(bad.code, 0);
		assert.match(bad.err, /InvalidSignatureException/);
	});
}

cli.run();
