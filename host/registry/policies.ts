/**
 * IoT policies with versions (at most 5, one default), and their attachments to certificates and
 * thing groups. `policiesInEffect` is what the broker evaluates: the default versions of the
 * policies attached to the certificate and to the groups (and ancestors) of the attached thing.
 */
import { WardenError } from '../errors.ts';
import { type PolicyDocument, parsePolicyDocument } from '../policy/document.ts';
import type { NamedPolicy } from '../policy/evaluate.ts';
import { POLICY_NAME, type Registry, checkName, conflict, invalid, notFound } from './registry.ts';
import { effectiveThingGroups } from './things.ts';

/** AWS IoT quota: policy versions kept per policy. */
export const MAX_POLICY_VERSIONS = 5;

export interface PolicyDescription {
	policyName: string;
	policyArn: string;
	policyDocument: string;
	defaultVersionId: string;
	creationDate: number;
	lastModifiedDate: number;
	generationId: string;
}

export interface PolicyVersionDescription {
	policyName: string;
	policyArn: string;
	policyDocument: string;
	policyVersionId: string;
	isDefaultVersion: boolean;
	creationDate: number;
	lastModifiedDate: number;
	generationId: string;
}

interface PolicyRow { name: string; default_version: number; next_version: number; created_at: number; last_modified: number }
interface VersionRow { policy_name: string; version_id: number; document: string; created_at: number }

const policyRow = (reg: Registry, name: string) => reg.sql('SELECT * FROM registry_policies WHERE name = ?').get(name) as PolicyRow | undefined;

function requirePolicy(reg: Registry, name: string): PolicyRow {
	const r = policyRow(reg, name);
	if (!r) notFound(`policy ${name}`);
	return r!;
}

function versionRow(reg: Registry, name: string, versionId: string | number): VersionRow {
	const v = Number(versionId);
	if (!Number.isInteger(v) || v < 1) invalid(`policyVersionId must be a positive integer (got ${String(versionId)})`);
	const r = reg.sql('SELECT * FROM registry_policy_versions WHERE policy_name = ? AND version_id = ?').get(name, v) as VersionRow | undefined;
	if (!r) notFound(`policy ${name} version ${versionId}`);
	return r!;
}

/** Validate a policy document (MalformedPolicyException on error); returns the normalised text. */
function checkDocument(text: unknown): string {
	if (typeof text !== 'string') invalid('policyDocument must be a string');
	parsePolicyDocument(text as string);
	return text as string;
}

export function createPolicy(reg: Registry, input: { policyName: string; policyDocument: string }): { policyName: string; policyArn: string; policyDocument: string; policyVersionId: string } {
	const name = checkName('policyName', input.policyName, POLICY_NAME);
	const doc = checkDocument(input.policyDocument);
	if (policyRow(reg, name)) throw new WardenError('WARDEN_ERR_REGISTRY_EXISTS', `policy ${name} already exists`, { resourceId: name, resourceArn: reg.arn(`policy/${name}`) });
	const now = reg.clock.now();
	reg.db.transaction(() => {
		reg.sql('INSERT INTO registry_policies (name, default_version, next_version, created_at, last_modified) VALUES (?,1,2,?,?)').run(name, now, now);
		reg.sql('INSERT INTO registry_policy_versions (policy_name, version_id, document, created_at) VALUES (?,1,?,?)').run(name, doc, now);
	})();
	reg.bump();
	return { policyName: name, policyArn: reg.arn(`policy/${name}`), policyDocument: doc, policyVersionId: '1' };
}

export function getPolicy(reg: Registry, name: string): PolicyDescription {
	const p = requirePolicy(reg, name);
	const v = versionRow(reg, name, p.default_version);
	return { policyName: name, policyArn: reg.arn(`policy/${name}`), policyDocument: v.document, defaultVersionId: String(p.default_version), creationDate: p.created_at, lastModifiedDate: p.last_modified, generationId: `${p.last_modified}` };
}

export function getPolicyVersion(reg: Registry, name: string, versionId: string): PolicyVersionDescription {
	const p = requirePolicy(reg, name);
	const v = versionRow(reg, name, versionId);
	return { policyName: name, policyArn: reg.arn(`policy/${name}`), policyDocument: v.document, policyVersionId: String(v.version_id), isDefaultVersion: v.version_id === p.default_version, creationDate: v.created_at, lastModifiedDate: v.created_at, generationId: `${v.created_at}` };
}

export function createPolicyVersion(reg: Registry, name: string, input: { policyDocument: string; setAsDefault?: boolean }): { policyArn: string; policyDocument: string; policyVersionId: string; isDefaultVersion: boolean } {
	const p = requirePolicy(reg, name);
	const doc = checkDocument(input.policyDocument);
	const count = (reg.sql('SELECT COUNT(*) AS n FROM registry_policy_versions WHERE policy_name = ?').get(name) as { n: number }).n;
	if (count >= MAX_POLICY_VERSIONS) throw new WardenError('WARDEN_ERR_REGISTRY_LIMIT', `policy ${name} already has ${MAX_POLICY_VERSIONS} versions; delete one first`);
	const now = reg.clock.now();
	const id = p.next_version;
	reg.db.transaction(() => {
		reg.sql('INSERT INTO registry_policy_versions (policy_name, version_id, document, created_at) VALUES (?,?,?,?)').run(name, id, doc, now);
		reg.sql('UPDATE registry_policies SET next_version = ?, default_version = ?, last_modified = ? WHERE name = ?').run(id + 1, input.setAsDefault ? id : p.default_version, now, name);
	})();
	reg.bump();
	return { policyArn: reg.arn(`policy/${name}`), policyDocument: doc, policyVersionId: String(id), isDefaultVersion: input.setAsDefault === true };
}

export function setDefaultPolicyVersion(reg: Registry, name: string, versionId: string): void {
	requirePolicy(reg, name);
	const v = versionRow(reg, name, versionId);
	reg.sql('UPDATE registry_policies SET default_version = ?, last_modified = ? WHERE name = ?').run(v.version_id, reg.clock.now(), name);
	reg.bump();
}

export function deletePolicyVersion(reg: Registry, name: string, versionId: string): void {
	const p = requirePolicy(reg, name);
	const v = versionRow(reg, name, versionId);
	if (v.version_id === p.default_version) conflict(`version ${versionId} is the default version of policy ${name}; set another default first (DeleteConflictException)`);
	reg.sql('DELETE FROM registry_policy_versions WHERE policy_name = ? AND version_id = ?').run(name, v.version_id);
	reg.bump();
}

export function listPolicyVersions(reg: Registry, name: string): { versionId: string; isDefaultVersion: boolean; createDate: number }[] {
	const p = requirePolicy(reg, name);
	return (reg.sql('SELECT * FROM registry_policy_versions WHERE policy_name = ? ORDER BY version_id DESC').all(name) as VersionRow[])
		.map((v) => ({ versionId: String(v.version_id), isDefaultVersion: v.version_id === p.default_version, createDate: v.created_at }));
}

export function listPolicies(reg: Registry, opts: { ascendingOrder?: boolean } = {}): { policyName: string; policyArn: string }[] {
	return (reg.sql(`SELECT name FROM registry_policies ORDER BY name ${opts.ascendingOrder === false ? 'DESC' : 'ASC'}`).all() as { name: string }[])
		.map((r) => ({ policyName: r.name, policyArn: reg.arn(`policy/${r.name}`) }));
}

/** DeletePolicy: only once detached from every target and left with only its default version. */
export function deletePolicy(reg: Registry, name: string): void {
	requirePolicy(reg, name);
	if (reg.sql('SELECT 1 FROM registry_policy_targets WHERE policy_name = ?').get(name)) conflict(`policy ${name} is attached to targets; detach it first (DeleteConflictException)`);
	const n = (reg.sql('SELECT COUNT(*) AS n FROM registry_policy_versions WHERE policy_name = ?').get(name) as { n: number }).n;
	if (n > 1) conflict(`policy ${name} has ${n} versions; delete the non-default versions first (DeleteConflictException)`);
	reg.sql('DELETE FROM registry_policies WHERE name = ?').run(name);
	reg.bump();
}

// ---- attachments --------------------------------------------------------------------------

/** A policy target: a certificate ARN or a thing-group ARN of this account. */
function checkTarget(reg: Registry, target: unknown): string {
	if (typeof target !== 'string') invalid('target must be a certificate or thing group ARN');
	const t = target as string;
	const prefix = reg.arn('');
	if (t.startsWith(`${prefix}cert/`)) {
		const id = t.slice(`${prefix}cert/`.length);
		if (!reg.sql('SELECT 1 FROM registry_certificates WHERE id = ?').get(id)) notFound(`certificate ${id}`);
	} else if (t.startsWith(`${prefix}thinggroup/`)) {
		const g = t.slice(`${prefix}thinggroup/`.length);
		if (!reg.sql('SELECT 1 FROM registry_thing_groups WHERE name = ?').get(g)) notFound(`thing group ${g}`);
	} else invalid(`target must be ${prefix}cert/<id> or ${prefix}thinggroup/<name> (got ${t})`);
	return t;
}

export function attachPolicy(reg: Registry, policyName: string, target: string): void {
	requirePolicy(reg, policyName);
	const t = checkTarget(reg, target);
	reg.sql('INSERT OR IGNORE INTO registry_policy_targets (policy_name, target) VALUES (?, ?)').run(policyName, t);
	reg.bump();
}

export function detachPolicy(reg: Registry, policyName: string, target: string): void {
	requirePolicy(reg, policyName);
	reg.sql('DELETE FROM registry_policy_targets WHERE policy_name = ? AND target = ?').run(policyName, target);
	reg.bump();
}

export function listAttachedPolicies(reg: Registry, target: string): { policyName: string; policyArn: string }[] {
	return (reg.sql('SELECT policy_name FROM registry_policy_targets WHERE target = ? ORDER BY policy_name').all(target) as { policy_name: string }[])
		.map((r) => ({ policyName: r.policy_name, policyArn: reg.arn(`policy/${r.policy_name}`) }));
}

export function listTargetsForPolicy(reg: Registry, policyName: string): string[] {
	requirePolicy(reg, policyName);
	return (reg.sql('SELECT target FROM registry_policy_targets WHERE policy_name = ? ORDER BY target').all(policyName) as { target: string }[]).map((r) => r.target);
}

const parsedCache = new WeakMap<Registry, Map<string, PolicyDocument>>();

/** Default-version documents of the policies attached to the certificate and the thing's groups (with ancestors). */
export function policiesInEffect(reg: Registry, certificateId: string | null, thingName: string | null): NamedPolicy[] {
	const targets: string[] = [];
	if (certificateId) targets.push(reg.arn(`cert/${certificateId}`));
	if (thingName) for (const g of effectiveThingGroups(reg, thingName)) targets.push(reg.arn(`thinggroup/${g}`));
	if (targets.length === 0) return [];
	let cache = parsedCache.get(reg);
	if (!cache) parsedCache.set(reg, (cache = new Map()));
	const rows = reg.sql(`SELECT DISTINCT v.policy_name AS name, v.document AS document FROM registry_policy_targets t
		JOIN registry_policies p ON p.name = t.policy_name
		JOIN registry_policy_versions v ON v.policy_name = p.name AND v.version_id = p.default_version
		WHERE t.target IN (${targets.map(() => '?').join(',')}) ORDER BY v.policy_name`).all(...targets) as { name: string; document: string }[];
	return rows.map((r) => {
		let doc = cache!.get(r.document);
		if (!doc) cache!.set(r.document, (doc = parsePolicyDocument(r.document)));
		return { name: r.name, document: doc };
	});
}
