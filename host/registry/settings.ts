/** Role aliases and the account's logging options (v1 SetLoggingOptions, v2 SetV2LoggingOptions). */
import { WardenError } from '../errors.ts';
import { ROLE_ALIAS_NAME, type Registry, checkName, invalid, notFound } from './registry.ts';

export interface RoleAliasDescription {
	roleAlias: string;
	roleAliasArn: string;
	roleArn: string;
	owner: string;
	credentialDurationSeconds: number;
	creationDate: number;
	lastModifiedDate: number;
}

interface AliasRow { alias: string; role_arn: string; credential_duration_seconds: number; created_at: number; last_modified: number }

const LOG_LEVELS = ['DEBUG', 'INFO', 'ERROR', 'WARN', 'DISABLED'] as const;
const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

export function createRoleAlias(reg: Registry, input: { roleAlias: string; roleArn: string; credentialDurationSeconds?: number }): { roleAlias: string; roleAliasArn: string } {
	const name = checkName('roleAlias', input.roleAlias, ROLE_ALIAS_NAME);
	if (typeof input.roleArn !== 'string' || !ROLE_ARN.test(input.roleArn)) invalid('roleArn must be an IAM role ARN arn:aws:iam::<account>:role/<name>');
	const duration = input.credentialDurationSeconds ?? 3600;
	if (!Number.isInteger(duration) || duration < 900 || duration > 43200) invalid('credentialDurationSeconds must be an integer from 900 to 43200');
	const arn = reg.arn(`rolealias/${name}`);
	if (reg.sql('SELECT 1 FROM registry_role_aliases WHERE alias = ?').get(name)) throw new WardenError('WARDEN_ERR_REGISTRY_EXISTS', `role alias ${name} already exists`, { resourceId: name, resourceArn: arn });
	const now = reg.clock.now();
	reg.sql('INSERT INTO registry_role_aliases (alias, role_arn, credential_duration_seconds, created_at, last_modified) VALUES (?,?,?,?,?)').run(name, input.roleArn, duration, now, now);
	return { roleAlias: name, roleAliasArn: arn };
}

export function describeRoleAlias(reg: Registry, name: string): RoleAliasDescription {
	const r = reg.sql('SELECT * FROM registry_role_aliases WHERE alias = ?').get(name) as AliasRow | undefined;
	if (!r) notFound(`role alias ${name}`);
	return { roleAlias: r!.alias, roleAliasArn: reg.arn(`rolealias/${r!.alias}`), roleArn: r!.role_arn, owner: reg.scope.accountId, credentialDurationSeconds: r!.credential_duration_seconds, creationDate: r!.created_at, lastModifiedDate: r!.last_modified };
}

export function listRoleAliases(reg: Registry, opts: { ascendingOrder?: boolean } = {}): string[] {
	return (reg.sql(`SELECT alias FROM registry_role_aliases ORDER BY alias ${opts.ascendingOrder === false ? 'DESC' : 'ASC'}`).all() as { alias: string }[]).map((r) => r.alias);
}

export function deleteRoleAlias(reg: Registry, name: string): void {
	describeRoleAlias(reg, name);
	reg.sql('DELETE FROM registry_role_aliases WHERE alias = ?').run(name);
}

// ---- logging options ----------------------------------------------------------------------

export interface LoggingOptionsV1 { roleArn: string; logLevel: string }
export interface LoggingOptionsV2 { roleArn: string; defaultLogLevel: string; disableAllLogs: boolean }

function getSetting<T>(reg: Registry, key: string): T | null {
	const r = reg.sql('SELECT value FROM registry_settings WHERE key = ?').get(key) as { value: string } | undefined;
	return r ? (JSON.parse(r.value) as T) : null;
}

function putSetting(reg: Registry, key: string, value: unknown): void {
	reg.sql('INSERT INTO registry_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
}

function checkLevel(v: unknown, path: string): string {
	if (typeof v !== 'string' || !(LOG_LEVELS as readonly string[]).includes(v)) invalid(`${path} must be one of ${LOG_LEVELS.join(', ')}`);
	return v as string;
}

export function setLoggingOptions(reg: Registry, input: { roleArn: string; logLevel?: string }): void {
	if (typeof input.roleArn !== 'string' || !ROLE_ARN.test(input.roleArn)) invalid('loggingOptionsPayload.roleArn must be an IAM role ARN');
	putSetting(reg, 'logging.v1', { roleArn: input.roleArn, logLevel: checkLevel(input.logLevel ?? 'ERROR', 'loggingOptionsPayload.logLevel') });
}

/** GetLoggingOptions; null when never set. */
export function getLoggingOptions(reg: Registry): LoggingOptionsV1 | null {
	return getSetting<LoggingOptionsV1>(reg, 'logging.v1');
}

export function setV2LoggingOptions(reg: Registry, input: { roleArn?: string; defaultLogLevel?: string; disableAllLogs?: boolean }): void {
	if (input.roleArn !== undefined && !ROLE_ARN.test(input.roleArn)) invalid('roleArn must be an IAM role ARN');
	if (input.disableAllLogs !== undefined && typeof input.disableAllLogs !== 'boolean') invalid('disableAllLogs must be a boolean');
	const prev = getV2LoggingOptions(reg);
	putSetting(reg, 'logging.v2', {
		roleArn: input.roleArn ?? prev?.roleArn ?? '',
		defaultLogLevel: input.defaultLogLevel !== undefined ? checkLevel(input.defaultLogLevel, 'defaultLogLevel') : prev?.defaultLogLevel ?? 'ERROR',
		disableAllLogs: input.disableAllLogs ?? false,
	});
}

export function getV2LoggingOptions(reg: Registry): LoggingOptionsV2 | null {
	return getSetting<LoggingOptionsV2>(reg, 'logging.v2');
}
