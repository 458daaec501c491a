/** HTTP routes (restJson1, AWS IoT paths) for things, thing groups, principals, role aliases and logging options. */
import type { ApiApp, ApiContext } from '../api/context.ts';
import { checkBoolean, checkNumber, checkObject, checkString } from '../api/fields.ts';
import { type ApiCtx, jsonBody, pathParam, queryInt, queryString } from '../api/request.ts';
import * as principals from './principals.ts';
import * as settings from './settings.ts';
import * as things from './things.ts';
import { call, flag, markerPage, principalHeader, registryOf, sec, tokenPage } from './api-common.ts';

const THING_RULE = { min: 1, max: 128, pattern: /^[a-zA-Z0-9:_-]+$/, patternText: '[a-zA-Z0-9:_-]+' };
const ALIAS_RULE = { min: 1, max: 128, pattern: /^[\w=,@-]+$/, patternText: '[\\w=,@-]+' };

const body = (c: ApiCtx) => checkObject(jsonBody(c), 'request body');

function attributePayload(v: unknown, path: string): { attributes?: Record<string, string>; merge?: boolean } {
	if (v === undefined || v === null) return {};
	const o = checkObject(v, path);
	const out: { attributes?: Record<string, string>; merge?: boolean } = {};
	if (o.attributes !== undefined) out.attributes = checkObject(o.attributes, `${path}.attributes`) as Record<string, string>;
	if (o.merge !== undefined) out.merge = checkBoolean(o.merge, `${path}.merge`);
	return out;
}

export function registerRoutes(app: ApiApp, ctx: ApiContext): void {
	const reg = () => registryOf(ctx);

	// ---- things
	app.post('/things/:thingName', (c) => {
		const name = pathParam(c, 'thingName', THING_RULE);
		const b = body(c);
		const type = b.thingTypeName === undefined ? undefined : checkString(b.thingTypeName, 'thingTypeName', THING_RULE);
		const { attributes } = attributePayload(b.attributePayload, 'attributePayload');
		return c.json(call(() => things.createThing(reg(), { thingName: name, ...(type ? { thingTypeName: type } : {}), ...(attributes ? { attributes } : {}) })));
	});
	app.get('/things/:thingName', (c) => {
		const t = call(() => things.describeThing(reg(), pathParam(c, 'thingName', THING_RULE)));
		return c.json({ defaultClientId: t.thingName, thingName: t.thingName, thingId: t.thingId, thingArn: t.thingArn, ...(t.thingTypeName ? { thingTypeName: t.thingTypeName } : {}), attributes: t.attributes, version: t.version });
	});
	app.patch('/things/:thingName', (c) => {
		const name = pathParam(c, 'thingName', THING_RULE);
		const b = body(c);
		const p = attributePayload(b.attributePayload, 'attributePayload');
		call(() => things.updateThing(reg(), name, {
			...(b.thingTypeName !== undefined ? { thingTypeName: checkString(b.thingTypeName, 'thingTypeName', THING_RULE) } : {}),
			...(b.removeThingType !== undefined ? { removeThingType: checkBoolean(b.removeThingType, 'removeThingType') } : {}),
			...(b.expectedVersion !== undefined ? { expectedVersion: checkNumber(b.expectedVersion, 'expectedVersion', { integer: true }) } : {}),
			...p,
		}));
		return c.json({});
	});
	app.delete('/things/:thingName', (c) => {
		const name = pathParam(c, 'thingName', THING_RULE);
		const expectedVersion = queryInt(c, 'expectedVersion', 0, Number.MAX_SAFE_INTEGER);
		call(() => things.deleteThing(reg(), name, expectedVersion !== undefined ? { expectedVersion } : {}));
		return c.json({});
	});
	app.get('/things', (c) => {
		const attributeName = queryString(c, 'attributeName');
		const attributeValue = queryString(c, 'attributeValue');
		const thingTypeName = queryString(c, 'thingTypeName');
		const all = call(() => things.listThings(reg(), { ...(attributeName ? { attributeName } : {}), ...(attributeValue ? { attributeValue } : {}), ...(thingTypeName ? { thingTypeName } : {}) }));
		const p = tokenPage(c, all, 'ListThings');
		return c.json({ things: p.items.map((t) => ({ thingName: t.thingName, thingArn: t.thingArn, ...(t.thingTypeName ? { thingTypeName: t.thingTypeName } : {}), attributes: t.attributes, version: t.version })), ...(p.nextToken ? { nextToken: p.nextToken } : {}) });
	});

	// ---- thing groups
	app.post('/thing-groups/:thingGroupName', (c) => {
		const name = pathParam(c, 'thingGroupName', THING_RULE);
		const b = body(c);
		const parent = b.parentGroupName === undefined ? undefined : checkString(b.parentGroupName, 'parentGroupName', THING_RULE);
		const props = b.thingGroupProperties === undefined ? {} : checkObject(b.thingGroupProperties, 'thingGroupProperties');
		const description = props.thingGroupDescription === undefined ? undefined : checkString(props.thingGroupDescription, 'thingGroupProperties.thingGroupDescription', { max: 2028 });
		const { attributes } = attributePayload(props.attributePayload, 'thingGroupProperties.attributePayload');
		return c.json(call(() => things.createThingGroup(reg(), { thingGroupName: name, ...(parent ? { parentGroupName: parent } : {}), ...(description !== undefined ? { description } : {}), ...(attributes ? { attributes } : {}) })));
	});
	app.get('/thing-groups/:thingGroupName', (c) => {
		const g = call(() => things.describeThingGroup(reg(), pathParam(c, 'thingGroupName', THING_RULE)));
		return c.json({
			thingGroupName: g.thingGroupName, thingGroupId: g.thingGroupId, thingGroupArn: g.thingGroupArn, version: g.version,
			thingGroupProperties: { ...(g.description !== null ? { thingGroupDescription: g.description } : {}), attributePayload: { attributes: g.attributes } },
			thingGroupMetadata: { ...(g.parentGroupName ? { parentGroupName: g.parentGroupName } : {}), rootToParentThingGroups: g.rootToParentThingGroups, creationDate: sec(g.creationDate) },
		});
	});
	app.delete('/thing-groups/:thingGroupName', (c) => {
		call(() => things.deleteThingGroup(reg(), pathParam(c, 'thingGroupName', THING_RULE)));
		return c.json({});
	});
	app.get('/thing-groups', (c) => {
		const parentGroup = queryString(c, 'parentGroup', THING_RULE);
		const prefix = queryString(c, 'namePrefixFilter');
		const all = call(() => things.listThingGroups(reg(), { ...(parentGroup ? { parentGroup } : {}), recursive: flag(c, 'recursive') ?? true }))
			.filter((g) => !prefix || g.thingGroupName.startsWith(prefix));
		const p = tokenPage(c, all, 'ListThingGroups');
		return c.json({ thingGroups: p.items.map((g) => ({ groupName: g.thingGroupName, groupArn: g.thingGroupArn })), ...(p.nextToken ? { nextToken: p.nextToken } : {}) });
	});
	const membership = (c: ApiCtx, fn: (thing: string, group: string) => void) => {
		const b = body(c);
		const group = b.thingGroupName !== undefined ? checkString(b.thingGroupName, 'thingGroupName', THING_RULE) : checkString(b.thingGroupArn, 'thingGroupArn').split('thinggroup/').pop()!;
		const thing = b.thingName !== undefined ? checkString(b.thingName, 'thingName', THING_RULE) : checkString(b.thingArn, 'thingArn').split(':thing/').pop()!;
		call(() => fn(thing, group));
		return c.json({});
	};
	app.put('/thing-groups/addThingToThingGroup', (c) => membership(c, (t, g) => things.addThingToThingGroup(reg(), t, g)));
	app.put('/thing-groups/removeThingFromThingGroup', (c) => membership(c, (t, g) => things.removeThingFromThingGroup(reg(), t, g)));
	app.get('/thing-groups/:thingGroupName/things', (c) => {
		const all = call(() => things.listThingsInThingGroup(reg(), pathParam(c, 'thingGroupName', THING_RULE), { recursive: flag(c, 'recursive') ?? false }));
		const p = tokenPage(c, all, 'ListThingsInThingGroup');
		return c.json({ things: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) });
	});
	app.get('/things/:thingName/thing-groups', (c) => {
		const name = pathParam(c, 'thingName', THING_RULE);
		call(() => things.describeThing(reg(), name));
		const p = tokenPage(c, things.listThingGroupsForThing(reg(), name), 'ListThingGroupsForThing');
		return c.json({ thingGroups: p.items.map((g) => ({ groupName: g, groupArn: reg().arn(`thinggroup/${g}`) })), ...(p.nextToken ? { nextToken: p.nextToken } : {}) });
	});

	// ---- principals
	app.put('/things/:thingName/principals', (c) => {
		call(() => principals.attachThingPrincipal(reg(), pathParam(c, 'thingName', THING_RULE), principalHeader(c)));
		return c.json({});
	});
	app.delete('/things/:thingName/principals', (c) => {
		call(() => principals.detachThingPrincipal(reg(), pathParam(c, 'thingName', THING_RULE), principalHeader(c)));
		return c.json({});
	});
	app.get('/things/:thingName/principals', (c) => {
		const p = tokenPage(c, call(() => principals.listThingPrincipals(reg(), pathParam(c, 'thingName', THING_RULE))), 'ListThingPrincipals');
		return c.json({ principals: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) });
	});
	app.get('/principals/things', (c) => {
		const p = tokenPage(c, call(() => principals.listPrincipalThings(reg(), principalHeader(c))), 'ListPrincipalThings');
		return c.json({ things: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) });
	});

	// ---- role aliases
	app.post('/role-aliases/:roleAlias', (c) => {
		const name = pathParam(c, 'roleAlias', ALIAS_RULE);
		const b = body(c);
		const duration = b.credentialDurationSeconds === undefined ? undefined : checkNumber(b.credentialDurationSeconds, 'credentialDurationSeconds', { integer: true });
		return c.json(call(() => settings.createRoleAlias(reg(), { roleAlias: name, roleArn: checkString(b.roleArn, 'roleArn', { min: 20, max: 2048 }), ...(duration !== undefined ? { credentialDurationSeconds: duration } : {}) })));
	});
	app.get('/role-aliases/:roleAlias', (c) => {
		const d = call(() => settings.describeRoleAlias(reg(), pathParam(c, 'roleAlias', ALIAS_RULE)));
		return c.json({ roleAliasDescription: { ...d, creationDate: sec(d.creationDate), lastModifiedDate: sec(d.lastModifiedDate) } });
	});
	app.delete('/role-aliases/:roleAlias', (c) => {
		call(() => settings.deleteRoleAlias(reg(), pathParam(c, 'roleAlias', ALIAS_RULE)));
		return c.json({});
	});
	app.get('/role-aliases', (c) => {
		const p = markerPage(c, settings.listRoleAliases(reg(), { ascendingOrder: flag(c, 'isAscendingOrder') ?? true }), 'ListRoleAliases');
		return c.json({ roleAliases: p.items, ...(p.nextMarker ? { nextMarker: p.nextMarker } : {}) });
	});

	// ---- logging options
	app.post('/loggingOptions', (c) => {
		// loggingOptionsPayload is the HTTP payload (the whole body) in the service model
		const b = body(c);
		const payload = b.loggingOptionsPayload === undefined ? b : checkObject(b.loggingOptionsPayload, 'loggingOptionsPayload');
		const logLevel = payload.logLevel === undefined ? undefined : checkString(payload.logLevel, 'loggingOptionsPayload.logLevel');
		call(() => settings.setLoggingOptions(reg(), { roleArn: checkString(payload.roleArn, 'loggingOptionsPayload.roleArn'), ...(logLevel ? { logLevel } : {}) }));
		return c.json({});
	});
	app.get('/loggingOptions', (c) => c.json(settings.getLoggingOptions(reg()) ?? {}));
	app.post('/v2LoggingOptions', (c) => {
		const b = body(c);
		call(() => settings.setV2LoggingOptions(reg(), {
			...(b.roleArn !== undefined ? { roleArn: checkString(b.roleArn, 'roleArn') } : {}),
			...(b.defaultLogLevel !== undefined ? { defaultLogLevel: checkString(b.defaultLogLevel, 'defaultLogLevel') } : {}),
			...(b.disableAllLogs !== undefined ? { disableAllLogs: checkBoolean(b.disableAllLogs, 'disableAllLogs') } : {}),
		}));
		return c.json({});
	});
	app.get('/v2LoggingOptions', (c) => {
		const v = settings.getV2LoggingOptions(reg());
		return c.json(v ? { ...(v.roleArn ? { roleArn: v.roleArn } : {}), defaultLogLevel: v.defaultLogLevel, disableAllLogs: v.disableAllLogs } : {});
	});
}
