/** Opaque nextToken pagination over in-memory lists (spec §7.1): the token encodes an offset. */
import { WardenError } from '../errors.ts';

export interface Page<T> {
	items: T[];
	nextToken?: string;
}

export function decodeToken(token: string | undefined): number {
	if (token === undefined) return 0;
	const m = /^o(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
	if (!m) throw new WardenError('WARDEN_ERR_AUDIT_INVALID', 'nextToken is not a token this service issued', { nextToken: token });
	return Number(m[1]);
}

export function encodeToken(offset: number): string {
	return Buffer.from(`o${offset}`, 'utf8').toString('base64url');
}

/** Slice `all` at the token's offset; `max` defaults to 25. */
export function paginate<T>(all: readonly T[], nextToken: string | undefined, maxResults = 25): Page<T> {
	const off = decodeToken(nextToken);
	const items = all.slice(off, off + maxResults);
	return off + maxResults < all.length ? { items, nextToken: encodeToken(off + maxResults) } : { items };
}
