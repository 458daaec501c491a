/**
 * The API's single credential (access key id + secret), as in the issue: taken from the CLI's
 * WARDEN_ACCESS_KEY_ID / WARDEN_SECRET_ACCESS_KEY when set, else generated once into
 * `<dataDir>/credentials.json` (mode 0600) and reused on later starts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WardenError } from '../errors.ts';

export interface ApiCredentials {
	readonly accessKeyId: string;
	readonly secretAccessKey: string;
}

export interface LoadedCredentials extends ApiCredentials {
	/** Where they came from; `generated` means this call created credentials.json (print them once). */
	readonly source: 'env' | 'file' | 'generated';
}

/** Environment values the CLI passes through (nothing below the CLI reads process.env). */
export interface CredentialEnv {
	WARDEN_ACCESS_KEY_ID?: string | undefined;
	WARDEN_SECRET_ACCESS_KEY?: string | undefined;
}

const ACCESS_KEY_RE = /^[A-Z0-9]{16,128}$/;
const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function credentialsFile(dataDir: string): string {
	return join(dataDir, 'credentials.json');
}

/** Validate a credential pair; throws WARDEN_ERR_CONFIG naming the bad member. */
export function checkCredentials(c: { accessKeyId?: unknown; secretAccessKey?: unknown }, origin: string): ApiCredentials {
	if (typeof c.accessKeyId !== 'string' || !ACCESS_KEY_RE.test(c.accessKeyId)) {
		throw new WardenError('WARDEN_ERR_CONFIG', `${origin}: access key id must be 16-128 upper-case letters or digits`, { origin });
	}
	if (typeof c.secretAccessKey !== 'string' || c.secretAccessKey.length < 16 || c.secretAccessKey.length > 128 || /\s/.test(c.secretAccessKey)) {
		throw new WardenError('WARDEN_ERR_CONFIG', `${origin}: secret access key must be 16-128 characters without spaces`, { origin });
	}
	return Object.freeze({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey });
}

/** A fresh credential in the AWS format: `AKIA` + 16 characters, 40-character secret. */
export function generateCredentials(): ApiCredentials {
	const id = [...randomBytes(16)].map((b) => ALPHANUM[b % ALPHANUM.length]).join('');
	const secret = randomBytes(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B');
	return Object.freeze({ accessKeyId: `AKIA${id}`, secretAccessKey: secret });
}

export function loadOrCreateCredentials(dataDir: string, env: CredentialEnv = {}): LoadedCredentials {
	const id = env.WARDEN_ACCESS_KEY_ID;
	const secret = env.WARDEN_SECRET_ACCESS_KEY;
	if (id !== undefined || secret !== undefined) {
		if (!id || !secret) {
			throw new WardenError('WARDEN_ERR_CONFIG', 'WARDEN_ACCESS_KEY_ID and WARDEN_SECRET_ACCESS_KEY must be set together', {});
		}
		return { ...checkCredentials({ accessKeyId: id, secretAccessKey: secret }, 'WARDEN_ACCESS_KEY_ID/WARDEN_SECRET_ACCESS_KEY'), source: 'env' };
	}
	const file = credentialsFile(dataDir);
	let text: string | undefined;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw new WardenError('WARDEN_ERR_CONFIG', `cannot read ${file}: ${(e as Error).message}`, { file });
		}
	}
	if (text !== undefined) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			throw new WardenError('WARDEN_ERR_CONFIG', `${file} is not valid JSON`, { file });
		}
		return { ...checkCredentials((parsed ?? {}) as Record<string, unknown>, file), source: 'file' };
	}
	const fresh = generateCredentials();
	mkdirSync(dataDir, { recursive: true });
	writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
	chmodSync(file, 0o600);
	return { ...fresh, source: 'generated' };
}
