/**
 * TagResource (POST /tags), UntagResource (POST /untag), ListTagsForResource (GET /tags) for
 * every resource type a feature registered in `ctx.tags` (AWS IoT API shapes).
 */
import { invalidRequest, limitExceeded, notFound } from './aws-errors.ts';
import type { ApiApp, ApiContext } from './context.ts';
import { checkArray, checkString, checkTags, Fields } from './fields.ts';
import { jsonBody, pageQuery, paginate, queryString } from './request.ts';
import { MAX_TAGS_PER_RESOURCE, tagStoreFor } from './tag-store.ts';

export function registerTagRoutes(app: ApiApp, ctx: ApiContext): void {
	const store = tagStoreFor(ctx.db);

	/** Check the ARN is ours, of a taggable type, and exists. */
	const resolve = (arn: string): string => {
		const prefix = ctx.arn('');
		if (!arn.startsWith(prefix)) throw invalidRequest(`resourceArn must start with ${prefix} (this account and region)`);
		const rest = arn.slice(prefix.length);
		const slash = rest.indexOf('/');
		const type = slash > 0 ? rest.slice(0, slash) : rest;
		const exists = ctx.tags.exists(type, slash > 0 ? rest.slice(slash + 1) : '');
		if (exists === undefined) throw invalidRequest(`resourceArn type ${type.slice(0, 40)} cannot be tagged (taggable: ${ctx.tags.types().join(', ')})`);
		if (!exists) throw notFound(`Resource ${arn} does not exist`);
		return arn;
	};

	app.post('/tags', (c) => {
		const f = new Fields(jsonBody(c));
		const arn = resolve(f.string('resourceArn', { min: 1, max: 2048 }));
		const tags = checkTags(f.array('tags'));
		if (store.countAfter(arn, tags) > MAX_TAGS_PER_RESOURCE) throw limitExceeded(`A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags`);
		store.put(arn, tags);
		return c.json({});
	});

	app.post('/untag', (c) => {
		const f = new Fields(jsonBody(c));
		const arn = resolve(f.string('resourceArn', { min: 1, max: 2048 }));
		const keys = checkArray(f.obj.tagKeys, 'tagKeys', { min: 0, max: MAX_TAGS_PER_RESOURCE }).map((k, i) => checkString(k, `tagKeys[${i}]`, { min: 1, max: 128 }));
		store.remove(arn, keys);
		return c.json({});
	});

	app.get('/tags', (c) => {
		const arn = resolve(queryString(c, 'resourceArn', { required: true, min: 1, max: 2048 })!);
		const page = paginate(store.list(arn), { ...pageQuery(c), tag: 'ListTagsForResource' });
		return c.json({ tags: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
	});
}
