/** Things and static thing groups (nested through a parent), with membership (AWS IoT registry). */
import { WardenError } from '../errors.ts';
import { THING_NAME, type Registry, checkName, conflict, invalid, notFound, parseJsonObject } from './registry.ts';

export interface ThingDescription {
	thingName: string;
	thingId: string;
	thingArn: string;
	thingTypeName: string | null;
	attributes: Record<string, string>;
	version: number;
	/** Unix ms. */
	creationDate: number;
}

export interface ThingGroupDescription {
	thingGroupName: string;
	thingGroupId: string;
	thingGroupArn: string;
	parentGroupName: string | null;
	/** Ancestors from the root down to the parent (AWS rootToParentThingGroups). */
	rootToParentThingGroups: { groupName: string; groupArn: string }[];
	description: string | null;
	attributes: Record<string, string>;
	version: number;
	creationDate: number;
}

interface ThingRow { name: string; thing_id: string; type_name: string | null; attributes: string; version: number; created_at: number }
interface GroupRow { name: string; group_id: string; parent_name: string | null; description: string | null; attributes: string; version: number; created_at: number }

function checkAttributes(a: unknown): Record<string, string> {
	if (a === undefined) return {};
	if (typeof a !== 'object' || a === null || Array.isArray(a)) invalid('attributes must be an object of strings');
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(a as object)) {
		if (!/^[a-zA-Z0-9_.,@/:#-]{1,128}$/.test(k)) invalid(`attribute name ${JSON.stringify(k)} must match [a-zA-Z0-9_.,@/:#-]+ (1-128)`);
		if (typeof v !== 'string' || v.length > 800) invalid(`attributes.${k} must be a string of at most 800 characters`);
		out[k] = v as string;
	}
	return out;
}

const thingRow = (reg: Registry, name: string) => reg.sql('SELECT * FROM registry_things WHERE name = ?').get(name) as ThingRow | undefined;
const groupRow = (reg: Registry, name: string) => reg.sql('SELECT * FROM registry_thing_groups WHERE name = ?').get(name) as GroupRow | undefined;

function describeThingRow(reg: Registry, r: ThingRow): ThingDescription {
	return { thingName: r.name, thingId: r.thing_id, thingArn: reg.arn(`thing/${r.name}`), thingTypeName: r.type_name, attributes: parseJsonObject(r.attributes), version: r.version, creationDate: r.created_at };
}

export function createThing(reg: Registry, input: { thingName: string; thingTypeName?: string; attributes?: Record<string, string> }): { thingName: string; thingArn: string; thingId: string } {
	const name = checkName('thingName', input.thingName, THING_NAME);
	if (input.thingTypeName !== undefined) checkName('thingTypeName', input.thingTypeName, THING_NAME);
	const attrs = checkAttributes(input.attributes);
	const existing = thingRow(reg, name);
	if (existing) {
		// AWS: CreateThing is idempotent when nothing differs
		if (existing.type_name === (input.thingTypeName ?? null) && existing.attributes === JSON.stringify(attrs)) return { thingName: name, thingArn: reg.arn(`thing/${name}`), thingId: existing.thing_id };
		throw new WardenError('WARDEN_ERR_REGISTRY_EXISTS', `thing ${name} already exists with different attributes`, { resourceId: existing.thing_id, resourceArn: reg.arn(`thing/${name}`) });
	}
	const id = reg.newId();
	reg.sql('INSERT INTO registry_things (name, thing_id, type_name, attributes, version, created_at) VALUES (?,?,?,?,1,?)').run(name, id, input.thingTypeName ?? null, JSON.stringify(attrs), reg.clock.now());
	reg.bump();
	return { thingName: name, thingArn: reg.arn(`thing/${name}`), thingId: id };
}

export function describeThing(reg: Registry, name: string): ThingDescription {
	const r = thingRow(reg, name);
	if (!r) notFound(`thing ${name}`);
	return describeThingRow(reg, r!);
}

export function listThings(reg: Registry, opts: { attributeName?: string; attributeValue?: string; thingTypeName?: string } = {}): ThingDescription[] {
	return (reg.sql('SELECT * FROM registry_things ORDER BY name').all() as ThingRow[])
		.map((r) => describeThingRow(reg, r))
		.filter((t) => (opts.thingTypeName === undefined || t.thingTypeName === opts.thingTypeName)
			&& (opts.attributeName === undefined || (opts.attributeName in t.attributes && (opts.attributeValue === undefined || t.attributes[opts.attributeName] === opts.attributeValue))));
}

/** UpdateThing: attributes merge (empty string value removes one, merge=false replaces all); expectedVersion guards. */
export function updateThing(reg: Registry, name: string, input: { thingTypeName?: string; removeThingType?: boolean; attributes?: Record<string, string>; merge?: boolean; expectedVersion?: number }): void {
	const t = describeThing(reg, name);
	if (input.expectedVersion !== undefined && input.expectedVersion !== t.version) conflict(`thing ${name} is at version ${t.version}, not ${input.expectedVersion} (VersionConflictException)`);
	const incoming = checkAttributes(input.attributes);
	const attrs = input.merge === false ? {} : { ...t.attributes };
	for (const [k, v] of Object.entries(incoming)) {
		if (v === '') delete attrs[k];
		else attrs[k] = v;
	}
	const type = input.removeThingType ? null : input.thingTypeName ?? t.thingTypeName;
	reg.sql('UPDATE registry_things SET type_name = ?, attributes = ?, version = version + 1 WHERE name = ?').run(type, JSON.stringify(attrs), name);
	reg.bump();
}

export function deleteThing(reg: Registry, name: string, opts: { expectedVersion?: number } = {}): void {
	const t = thingRow(reg, name);
	if (!t) return; // AWS: deleting a missing thing succeeds
	if (opts.expectedVersion !== undefined && opts.expectedVersion !== t.version) conflict(`thing ${name} is at version ${t.version}, not ${opts.expectedVersion} (VersionConflictException)`);
	if (reg.sql('SELECT 1 FROM registry_thing_principals WHERE thing_name = ?').get(name)) conflict(`thing ${name} still has attached principals; detach them first`);
	reg.sql('DELETE FROM registry_things WHERE name = ?').run(name);
	reg.bump();
}

// ---- thing groups -------------------------------------------------------------------------

/** Ancestors of a group, nearest first. */
export function groupAncestors(reg: Registry, name: string): string[] {
	const out: string[] = [];
	let cur = groupRow(reg, name)?.parent_name ?? null;
	while (cur !== null && !out.includes(cur)) {
		out.push(cur);
		cur = groupRow(reg, cur)?.parent_name ?? null;
	}
	return out;
}

function describeGroupRow(reg: Registry, r: GroupRow): ThingGroupDescription {
	const roots = groupAncestors(reg, r.name).reverse().map((g) => ({ groupName: g, groupArn: reg.arn(`thinggroup/${g}`) }));
	return {
		thingGroupName: r.name, thingGroupId: r.group_id, thingGroupArn: reg.arn(`thinggroup/${r.name}`), parentGroupName: r.parent_name,
		rootToParentThingGroups: roots, description: r.description, attributes: parseJsonObject(r.attributes), version: r.version, creationDate: r.created_at,
	};
}

/** Nesting depth limit of static thing groups (AWS IoT quota: 7 levels). */
export const MAX_GROUP_DEPTH = 7;

export function createThingGroup(reg: Registry, input: { thingGroupName: string; parentGroupName?: string; description?: string; attributes?: Record<string, string> }): { thingGroupName: string; thingGroupArn: string; thingGroupId: string } {
	const name = checkName('thingGroupName', input.thingGroupName, THING_NAME);
	const attrs = checkAttributes(input.attributes);
	if (input.parentGroupName !== undefined) {
		if (!groupRow(reg, input.parentGroupName)) notFound(`parent thing group ${input.parentGroupName}`);
		if (groupAncestors(reg, input.parentGroupName).length + 2 > MAX_GROUP_DEPTH) invalid(`thing groups nest at most ${MAX_GROUP_DEPTH} levels deep`);
	}
	const existing = groupRow(reg, name);
	if (existing) {
		if (existing.parent_name === (input.parentGroupName ?? null)) return { thingGroupName: name, thingGroupArn: reg.arn(`thinggroup/${name}`), thingGroupId: existing.group_id };
		throw new WardenError('WARDEN_ERR_REGISTRY_EXISTS', `thing group ${name} already exists`, { resourceId: existing.group_id, resourceArn: reg.arn(`thinggroup/${name}`) });
	}
	const id = reg.newId();
	reg.sql('INSERT INTO registry_thing_groups (name, group_id, parent_name, description, attributes, version, created_at) VALUES (?,?,?,?,?,1,?)')
		.run(name, id, input.parentGroupName ?? null, input.description ?? null, JSON.stringify(attrs), reg.clock.now());
	reg.bump();
	return { thingGroupName: name, thingGroupArn: reg.arn(`thinggroup/${name}`), thingGroupId: id };
}

export function describeThingGroup(reg: Registry, name: string): ThingGroupDescription {
	const r = groupRow(reg, name);
	if (!r) notFound(`thing group ${name}`);
	return describeGroupRow(reg, r!);
}

export function listThingGroups(reg: Registry, opts: { parentGroup?: string; recursive?: boolean } = {}): ThingGroupDescription[] {
	const all = (reg.sql('SELECT * FROM registry_thing_groups ORDER BY name').all() as GroupRow[]).map((r) => describeGroupRow(reg, r));
	if (opts.parentGroup === undefined) return all;
	return all.filter((g) => (opts.recursive ? groupAncestors(reg, g.thingGroupName).includes(opts.parentGroup!) : g.parentGroupName === opts.parentGroup));
}

export function deleteThingGroup(reg: Registry, name: string): void {
	if (!groupRow(reg, name)) return;
	if (reg.sql('SELECT 1 FROM registry_thing_groups WHERE parent_name = ?').get(name)) conflict(`thing group ${name} has child groups; delete them first`);
	reg.db.transaction(() => {
		reg.sql('DELETE FROM registry_policy_targets WHERE target = ?').run(reg.arn(`thinggroup/${name}`));
		reg.sql('DELETE FROM registry_thing_groups WHERE name = ?').run(name);
	})();
	reg.bump();
}

export function addThingToThingGroup(reg: Registry, thingName: string, groupName: string): void {
	describeThing(reg, thingName);
	describeThingGroup(reg, groupName);
	reg.sql('INSERT OR IGNORE INTO registry_group_members (group_name, thing_name) VALUES (?, ?)').run(groupName, thingName);
	reg.bump();
}

export function removeThingFromThingGroup(reg: Registry, thingName: string, groupName: string): void {
	reg.sql('DELETE FROM registry_group_members WHERE group_name = ? AND thing_name = ?').run(groupName, thingName);
	reg.bump();
}

/** Groups the thing is directly in (AWS ListThingGroupsForThing). */
export function listThingGroupsForThing(reg: Registry, thingName: string): string[] {
	return (reg.sql('SELECT group_name FROM registry_group_members WHERE thing_name = ? ORDER BY group_name').all(thingName) as { group_name: string }[]).map((r) => r.group_name);
}

/** Direct groups plus every ancestor: what group targets (policies, security profiles) apply to. */
export function effectiveThingGroups(reg: Registry, thingName: string): string[] {
	const out = new Set<string>();
	for (const g of listThingGroupsForThing(reg, thingName)) {
		out.add(g);
		for (const a of groupAncestors(reg, g)) out.add(a);
	}
	return [...out];
}

export function listThingsInThingGroup(reg: Registry, groupName: string, opts: { recursive?: boolean } = {}): string[] {
	describeThingGroup(reg, groupName);
	const groups = [groupName, ...(opts.recursive ? listThingGroups(reg, { parentGroup: groupName, recursive: true }).map((g) => g.thingGroupName) : [])];
	const names = new Set<string>();
	const q = reg.sql('SELECT thing_name FROM registry_group_members WHERE group_name = ?');
	for (const g of groups) for (const r of q.all(g) as { thing_name: string }[]) names.add(r.thing_name);
	return [...names].sort();
}
