/** Mitigation action definitions (spec §6.1): create, describe, update, delete, list. */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { WardenError } from '../errors.ts';
import { paginate, type Page } from '../audit/paging.ts';
import type { MitigationStore } from './store.ts';
import { PARAM_MEMBERS, type ActionParams, type ActionType, type MitigationAction } from './types.ts';

const MAX_ACTIONS = 100; // spec §8.1
const LOG_LEVELS = ['DEBUG', 'INFO', 'ERROR', 'WARN'] as const;

export const invalid = (message: string) => new WardenError('WARDEN_ERR_AUDIT_INVALID', message);
export const notFound = (message: string) => new WardenError('WARDEN_ERR_AUDIT_NOT_FOUND', message);

export function checkName128(v: unknown, path: string): string {
	if (typeof v !== 'string' || !/^[a-zA-Z0-9_-]{1,128}$/.test(v)) throw invalid(`${path} must be 1-128 characters [a-zA-Z0-9_-]`);
	return v;
}

function roleArn(v: unknown, path = 'roleArn'): string {
	if (typeof v !== 'string' || v.length < 20 || v.length > 2048) throw invalid(`${path} must be an IAM role ARN of 20 to 2048 characters`);
	return v;
}

/** Validate `actionParams`: exactly one member (spec §6.1). Returns the params and the action type. */
export function checkActionParams(v: unknown): { params: ActionParams; type: ActionType } {
	if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid('actionParams must be an object');
	const o = v as Record<string, unknown>;
	const keys = Object.keys(o).filter((k) => o[k] !== undefined && o[k] !== null);
	if (keys.length !== 1) throw invalid(`actionParams must have exactly one member (got ${keys.length})`);
	const key = keys[0]!;
	const type = PARAM_MEMBERS[key];
	if (!type) throw invalid(`actionParams.${key} is not a mitigation action parameter member`);
	const p = o[key] as Record<string, unknown>;
	if (typeof p !== 'object' || p === null) throw invalid(`actionParams.${key} must be an object`);
	const path = `actionParams.${key}`;
	switch (type) {
		case 'UPDATE_DEVICE_CERTIFICATE':
		case 'UPDATE_CA_CERTIFICATE':
			if (p.action !== 'DEACTIVATE') throw invalid(`${path}.action must be DEACTIVATE`);
			return { type, params: { [key]: { action: 'DEACTIVATE' } } };
		case 'ADD_THINGS_TO_THING_GROUP': {
			const names = p.thingGroupNames;
			if (!Array.isArray(names) || names.length < 1 || names.length > 10) throw invalid(`${path}.thingGroupNames must list 1 to 10 thing group names`);
			names.forEach((n, i) => {
				if (typeof n !== 'string' || !/^[a-zA-Z0-9:_-]{1,128}$/.test(n)) throw invalid(`${path}.thingGroupNames[${i}] must be a thing group name`);
			});
			if (p.overrideDynamicGroups !== undefined && typeof p.overrideDynamicGroups !== 'boolean') throw invalid(`${path}.overrideDynamicGroups must be a boolean`);
			return { type, params: { addThingsToThingGroupParams: { thingGroupNames: names as string[], ...(p.overrideDynamicGroups !== undefined ? { overrideDynamicGroups: p.overrideDynamicGroups as boolean } : {}) } } };
		}
		case 'REPLACE_DEFAULT_POLICY_VERSION':
			if (p.templateName !== 'BLANK_POLICY') throw invalid(`${path}.templateName must be BLANK_POLICY`);
			return { type, params: { replaceDefaultPolicyVersionParams: { templateName: 'BLANK_POLICY' } } };
		case 'ENABLE_IOT_LOGGING': {
			const level = p.logLevel;
			if (!LOG_LEVELS.includes(level as (typeof LOG_LEVELS)[number])) throw invalid(`${path}.logLevel must be one of ${LOG_LEVELS.join(', ')}`);
			return { type, params: { enableIoTLoggingParams: { roleArnForLogging: roleArn(p.roleArnForLogging, `${path}.roleArnForLogging`), logLevel: level as (typeof LOG_LEVELS)[number] } } };
		}
		case 'PUBLISH_FINDING_TO_SNS': {
			const arn = p.topicArn;
			if (typeof arn !== 'string' || arn.length < 1 || arn.length > 350) throw invalid(`${path}.topicArn must be a topic ARN of at most 350 characters`);
			return { type, params: { publishFindingToSnsParams: { topicArn: arn } } };
		}
	}
}

export class MitigationActions {
	readonly #store: MitigationStore;
	readonly #clock: Clock;
	readonly #arn: (r: string) => string;

	constructor(store: MitigationStore, clock: Clock, arn: (resource: string) => string) {
		this.#store = store;
		this.#clock = clock;
		this.#arn = arn;
	}

	create(name: string, input: { roleArn?: unknown; actionParams?: unknown; tags?: MitigationAction['tags'] }): { actionArn: string; actionId: string } {
		checkName128(name, 'actionName');
		const { params, type } = checkActionParams(input.actionParams);
		const role = roleArn(input.roleArn);
		const actionArn = this.#arn(`mitigationaction/${name}`);
		if (this.#store.getAction(name)) throw new WardenError('WARDEN_ERR_AUDIT_EXISTS', `mitigation action ${name} already exists`, { resourceId: name, resourceArn: actionArn });
		if (this.#store.listActions().length >= MAX_ACTIONS) throw new WardenError('WARDEN_ERR_AUDIT_LIMIT', `at most ${MAX_ACTIONS} mitigation actions are allowed`);
		const now = this.#clock.now();
		const a: MitigationAction = { actionName: name, actionType: type, actionArn, actionId: randomUUID(), roleArn: role, actionParams: params, tags: input.tags ?? [], creationDate: now, lastModifiedDate: now };
		this.#store.putAction(a);
		return { actionArn, actionId: a.actionId };
	}

	describe(name: string): MitigationAction {
		const a = this.#store.getAction(name);
		if (!a) throw notFound(`mitigation action ${name} does not exist`);
		return a;
	}

	update(name: string, input: { roleArn?: unknown; actionParams?: unknown }): { actionArn: string; actionId: string } {
		const a = this.describe(name);
		if (input.actionParams !== undefined) {
			const { params, type } = checkActionParams(input.actionParams);
			if (type !== a.actionType) throw invalid(`the action type of ${name} is ${a.actionType} and cannot change`);
			a.actionParams = params;
		}
		if (input.roleArn !== undefined) a.roleArn = roleArn(input.roleArn);
		a.lastModifiedDate = this.#clock.now();
		this.#store.putAction(a);
		return { actionArn: a.actionArn, actionId: a.actionId };
	}

	/** DeleteMitigationAction succeeds for unknown names too (spec §7.2 lists no NotFound). */
	delete(name: string): void {
		this.#store.deleteAction(name);
	}

	list(f: { actionType?: string; nextToken?: string; maxResults?: number } = {}): Page<MitigationAction> {
		if (f.actionType !== undefined && !Object.values(PARAM_MEMBERS).includes(f.actionType as ActionType)) throw invalid(`actionType must be one of ${Object.values(PARAM_MEMBERS).join(', ')}`);
		const all = this.#store.listActions().filter((a) => f.actionType === undefined || a.actionType === f.actionType);
		return paginate(all, f.nextToken, f.maxResults ?? 25);
	}
}
