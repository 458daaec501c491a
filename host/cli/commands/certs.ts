/**
 * `warden certs`: a development PKI so that mTLS works in minutes (docs/mtls.md).
 *   warden certs ca --out DIR                               → DIR/ca.crt, DIR/ca.key
 *   warden certs server --host 127.0.0.1 --ca DIR --out DIR → DIR/server.crt, DIR/server.key
 *   warden certs device --thing NAME --ca DIR --out DIR     → DIR/NAME.crt, DIR/NAME.key
 * With `--register` (and `--data-dir`), the CA / device is also registered in warden.db: the
 * device certificate ACTIVE, its thing created and attached, and the per-thing policy attached.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../clock.ts';
import { WardenError } from '../../errors.ts';
import { type KeyAndCert, createDevCa, issueDeviceCertificate, issueServerCertificate } from '../../registry/dev-pki.ts';
import { DEV_THING_POLICY, provisionCa, provisionDevice } from '../../registry/provision.ts';
import { openRegistry } from '../../registry/registry.ts';
import { THING_NAME } from '../../registry/registry.ts';
import { openSqlite } from '../../storage/sqlite.ts';
import { intOption, stringOption } from '../args.ts';
import type { Program } from '../index.ts';

interface Flags {
	out?: unknown;
	ca?: unknown;
	thing?: unknown;
	host?: unknown;
	cn?: unknown;
	days?: unknown;
	force?: unknown;
	register?: unknown;
	'data-dir'?: unknown;
	'account-id'?: unknown;
	region?: unknown;
}

const DAY = 86_400_000;
const say = (line: string) => process.stdout.write(`${line}\n`);

function write(dir: string, base: string, kc: KeyAndCert, force: boolean): { cert: string; key: string } {
	mkdirSync(dir, { recursive: true });
	const cert = join(dir, `${base}.crt`);
	const key = join(dir, `${base}.key`);
	for (const f of [cert, key]) {
		if (existsSync(f) && !force) throw new WardenError('WARDEN_ERR_CLI_USAGE', `${f} exists; pass --force to overwrite`, { file: f });
	}
	writeFileSync(cert, kc.certPem);
	writeFileSync(key, kc.keyPem, { mode: 0o600 });
	return { cert, key };
}

function readCa(dir: string): KeyAndCert {
	const cert = join(dir, 'ca.crt');
	const key = join(dir, 'ca.key');
	if (!existsSync(cert) || !existsSync(key)) throw new WardenError('WARDEN_ERR_CLI_USAGE', `--ca ${dir} must hold ca.crt and ca.key (create them with \`warden certs ca --out ${dir}\`)`, { option: 'ca' });
	return { certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

function withRegistry<T>(flags: Flags, fn: (reg: ReturnType<typeof openRegistry>) => T): T {
	const db = openSqlite(join(stringOption('data-dir', flags['data-dir']), 'warden.db'));
	try {
		const reg = openRegistry({ db, clock: systemClock, accountId: String(flags['account-id']), region: String(flags.region) });
		return fn(reg);
	} finally {
		db.close();
	}
}

function validity(flags: Flags, maxDays: number) {
	const days = intOption('days', flags.days, 1, maxDays);
	const notBefore = Date.now() - 3_600_000;
	return { notBefore, notAfter: notBefore + days * DAY };
}

export function register(prog: Program): void {
	prog
		.command('certs ca')
		.describe('Create a development CA (ca.crt, ca.key) for device and broker certificates')
		.option('--out', 'Output directory', './.warden/pki')
		.option('--cn', 'CA common name', 'Warden Development CA')
		.option('--days', 'Validity in days', 3650)
		.option('--force', 'Overwrite existing files', false)
		.option('--register', 'Also register the CA as ACTIVE in warden.db', false)
		.option('--data-dir', 'Directory of warden.db (with --register)', './.warden')
		.option('--account-id', 'AWS account id for ARNs', '123456789012')
		.option('--region', 'AWS region for ARNs', 'us-east-1')
		.action((flags: Flags) => {
			const out = stringOption('out', flags.out);
			const ca = createDevCa({ commonName: stringOption('cn', flags.cn), ...validity(flags, 36500) });
			const files = write(out, 'ca', ca, flags.force === true);
			say(`warden: CA certificate ${files.cert}, key ${files.key} (keep the key private)`);
			if (flags.register === true) say(`warden: CA registered as ACTIVE, id ${withRegistry(flags, (reg) => provisionCa(reg, ca.certPem))}`);
		});

	prog
		.command('certs server')
		.describe("Create the broker's TLS server certificate (server.crt, server.key) signed by the CA")
		.option('--host', 'Host names / IP addresses the certificate is valid for, comma-separated', '127.0.0.1,localhost')
		.option('--ca', 'Directory holding ca.crt and ca.key', './.warden/pki')
		.option('--out', 'Output directory', './.warden/pki')
		.option('--days', 'Validity in days', 825)
		.option('--force', 'Overwrite existing files', false)
		.action((flags: Flags) => {
			const hosts = stringOption('host', flags.host).split(',').map((h) => h.trim()).filter(Boolean);
			if (hosts.length === 0) throw new WardenError('WARDEN_ERR_CLI_USAGE', '--host needs at least one name or address', { option: 'host' });
			const ca = readCa(stringOption('ca', flags.ca));
			const kc = issueServerCertificate(ca, { commonName: hosts[0]!, hosts, ...validity(flags, 3650) });
			const files = write(stringOption('out', flags.out), 'server', kc, flags.force === true);
			say(`warden: server certificate ${files.cert} (for ${hosts.join(', ')}), key ${files.key}`);
			say(`warden: start the broker with: warden serve --mtls-port 8883 --tls-cert ${files.cert} --tls-key ${files.key}`);
		});

	prog
		.command('certs device')
		.describe('Create a device certificate (NAME.crt, NAME.key) signed by the CA; the thing name is the common name')
		.option('--thing', 'Thing name (also the MQTT client id the device must use)')
		.option('--ca', 'Directory holding ca.crt and ca.key', './.warden/pki')
		.option('--out', 'Output directory', './.warden/pki')
		.option('--days', 'Validity in days', 365)
		.option('--force', 'Overwrite existing files', false)
		.option('--register', `Also register it ACTIVE, create the thing and attach ${DEV_THING_POLICY}`, false)
		.option('--data-dir', 'Directory of warden.db (with --register)', './.warden')
		.option('--account-id', 'AWS account id for ARNs', '123456789012')
		.option('--region', 'AWS region for ARNs', 'us-east-1')
		.action((flags: Flags) => {
			const thing = stringOption('thing', flags.thing);
			if (!THING_NAME.test(thing)) throw new WardenError('WARDEN_ERR_CLI_USAGE', '--thing must match [a-zA-Z0-9:_-]{1,128}', { option: 'thing' });
			const ca = readCa(stringOption('ca', flags.ca));
			const kc = issueDeviceCertificate(ca, { commonName: thing, ...validity(flags, 3650) });
			const files = write(stringOption('out', flags.out), thing, kc, flags.force === true);
			say(`warden: device certificate ${files.cert}, key ${files.key}`);
			if (flags.register === true) {
				const r = withRegistry(flags, (reg) => provisionDevice(reg, thing, kc.certPem, ca.certPem));
				say(`warden: registered ACTIVE as ${r.certificateArn}; thing ${thing} created; ${DEV_THING_POLICY} attached`);
			}
		});
}
