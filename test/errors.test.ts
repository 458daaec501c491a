import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, WardenError, isWardenError } from '../host/errors.ts';

const docs = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const documented = new Set([...docs.matchAll(/^\|\s*`(WARDEN_ERR_[A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1] ?? ""));

const registry = suite('ERROR_CODES');

registry('every code in host/errors.ts has a row in docs/errors.md', () => {
	const missing = Object.keys(ERROR_CODES).filter((c) => !documented.has(c));
	assert.equal(missing, []);
});

registry('every code documented in docs/errors.md exists in host/errors.ts', () => {
	const unknown = [...documented].filter((c) => !(c in ERROR_CODES));
	assert.equal(unknown, []);
});

registry('codes follow the WARDEN_ERR_ naming scheme', () => {
	for (const code of Object.keys(ERROR_CODES)) assert.match(code, /^WARDEN_ERR_[A-Z0-9_]+$/);
});

registry.run();

// ---

const guard = suite('isWardenError');

guard('recognises a WardenError and keeps code and detail', () => {
	const e = new WardenError('WARDEN_ERR_CONFIG', 'bad', { option: 'x' });
	assert.ok(isWardenError(e));
	assert.is(e.code, 'WARDEN_ERR_CONFIG');
	assert.equal(e.detail, { option: 'x' });
	assert.ok(Object.isFrozen(e.detail));
});

guard('rejects plain errors and look-alikes without a code', () => {
	assert.not.ok(isWardenError(new Error('x')));
	const fake = new Error('x');
	fake.name = 'WardenError';
	assert.not.ok(isWardenError(fake));
	assert.not.ok(isWardenError({ name: 'WardenError', code: 'WARDEN_ERR_CONFIG' }));
});

guard.run();
