/**
 * HTTP routes of the Detect control plane (spec §7.2 "Detect – security profiles" and
 * "Detect – custom metrics & dimensions"). Thin: path/query/body → the services.
 */
import type { ApiApp, ApiContext } from '../../api/context.ts';
import { type ApiCtx, jsonBody, pageQuery, paginate, pathParam, queryBool, queryInt, queryString } from '../../api/request.ts';
import { NAME_RULE } from '../../api/fields.ts';
import { MetricService } from './metric-service.ts';
import { SecurityProfileService } from './profile-service.ts';
import { detectConfigStoreFor } from './sqlite-store.ts';
import { tagStoreFor } from '../../api/tag-store.ts';

const VERSION_MAX = Number.MAX_SAFE_INTEGER;

export function registerRoutes(app: ApiApp, ctx: ApiContext): void {
	const store = detectConfigStoreFor(ctx.db);
	const tagStore = tagStoreFor(ctx.db);
	const profiles = new SecurityProfileService(store, { clock: ctx.clock, arn: ctx.arn, thingGroupDescendants: ctx.services.thingGroupDescendants, thingGroupExists: ctx.services.thingGroupExists, tagStore });
	const metrics = new MetricService(store, { clock: ctx.clock, arn: ctx.arn, tagStore });
	ctx.tags.register('securityprofile', (name) => store.getProfile(name) !== undefined);
	ctx.tags.register('custommetric', (name) => store.getCustomMetric(name) !== undefined);
	ctx.tags.register('dimension', (name) => store.getDimension(name) !== undefined);
	const targetArn = (c: ApiCtx) => queryString(c, 'securityProfileTargetArn', { required: true, min: 1, max: 2048 })!;

	// --- security profiles ---
	app.post('/security-profile-behaviors/validate', (c) => c.json(profiles.validate(jsonBody(c))));
	app.get('/security-profiles', (c) => {
		const filter = { dimensionName: queryString(c, 'dimensionName', NAME_RULE), metricName: queryString(c, 'metricName', NAME_RULE) };
		const page = paginate(profiles.list(filter), { ...pageQuery(c), tag: 'ListSecurityProfiles' });
		return c.json({ securityProfileIdentifiers: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
	});
	app.post('/security-profiles/:securityProfileName', (c) => c.json(profiles.create(pathParam(c, 'securityProfileName'), jsonBody(c))));
	app.get('/security-profiles/:securityProfileName', (c) => c.json(profiles.describe(pathParam(c, 'securityProfileName'))));
	app.patch('/security-profiles/:securityProfileName', (c) => {
		const name = pathParam(c, 'securityProfileName');
		return c.json(profiles.update(name, jsonBody(c), queryInt(c, 'expectedVersion', 0, VERSION_MAX)));
	});
	app.delete('/security-profiles/:securityProfileName', (c) => {
		profiles.delete(pathParam(c, 'securityProfileName'), queryInt(c, 'expectedVersion', 0, VERSION_MAX));
		return c.json({});
	});
	app.put('/security-profiles/:securityProfileName/targets', (c) => {
		profiles.attach(pathParam(c, 'securityProfileName'), targetArn(c));
		return c.json({});
	});
	app.delete('/security-profiles/:securityProfileName/targets', (c) => {
		profiles.detach(pathParam(c, 'securityProfileName'), targetArn(c));
		return c.json({});
	});
	app.get('/security-profiles/:securityProfileName/targets', (c) => {
		const page = paginate(profiles.targets(pathParam(c, 'securityProfileName')), { ...pageQuery(c), tag: 'ListTargetsForSecurityProfile' });
		return c.json({ securityProfileTargets: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
	});
	app.get('/security-profiles-for-target', (c) => {
		const mappings = profiles.forTarget(targetArn(c), queryBool(c, 'recursive') ?? false);
		const page = paginate(mappings, { ...pageQuery(c), tag: 'ListSecurityProfilesForTarget' });
		return c.json({ securityProfileTargetMappings: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
	});

	// --- custom metrics (singular item path, plural list path: spec §7.2) ---
	app.get('/custom-metrics', (c) => {
		const page = paginate(metrics.listCustomMetrics(), { ...pageQuery(c), tag: 'ListCustomMetrics' });
		return c.json({ metricNames: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
	});
	app.post('/custom-metric/:metricName', (c) => c.json(metrics.createCustomMetric(pathParam(c, 'metricName'), jsonBody(c))));
	app.get('/custom-metric/:metricName', (c) => c.json(metrics.describeCustomMetric(pathParam(c, 'metricName'))));
	app.patch('/custom-metric/:metricName', (c) => c.json(metrics.updateCustomMetric(pathParam(c, 'metricName'), jsonBody(c))));
	app.delete('/custom-metric/:metricName', (c) => {
		metrics.deleteCustomMetric(pathParam(c, 'metricName'));
		return c.json({});
	});

	// --- dimensions ---
	app.get('/dimensions', (c) => {
		const page = paginate(metrics.listDimensions(), { ...pageQuery(c), tag: 'ListDimensions' });
		return c.json({ dimensionNames: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
	});
	app.post('/dimensions/:name', (c) => c.json(metrics.createDimension(pathParam(c, 'name'), jsonBody(c))));
	app.get('/dimensions/:name', (c) => c.json(metrics.describeDimension(pathParam(c, 'name'))));
	app.patch('/dimensions/:name', (c) => c.json(metrics.updateDimension(pathParam(c, 'name'), jsonBody(c))));
	app.delete('/dimensions/:name', (c) => {
		metrics.deleteDimension(pathParam(c, 'name'));
		return c.json({});
	});
}
