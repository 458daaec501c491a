/** Principals (certificate ARNs) attached to things: AttachThingPrincipal and friends. */
import { type Registry, invalid, notFound } from './registry.ts';
import { describeThing } from './things.ts';

function checkPrincipal(reg: Registry, principal: unknown): string {
	const prefix = reg.arn('cert/');
	if (typeof principal !== 'string' || !principal.startsWith(prefix)) invalid(`principal must be a certificate ARN ${prefix}<id> (got ${String(principal)})`);
	const id = (principal as string).slice(prefix.length);
	if (!reg.sql('SELECT 1 FROM registry_certificates WHERE id = ?').get(id)) notFound(`certificate ${id}`);
	return principal as string;
}

export function attachThingPrincipal(reg: Registry, thingName: string, principal: string): void {
	describeThing(reg, thingName);
	const p = checkPrincipal(reg, principal);
	reg.sql('INSERT OR IGNORE INTO registry_thing_principals (thing_name, principal) VALUES (?, ?)').run(thingName, p);
	reg.bump();
}

export function detachThingPrincipal(reg: Registry, thingName: string, principal: string): void {
	describeThing(reg, thingName);
	reg.sql('DELETE FROM registry_thing_principals WHERE thing_name = ? AND principal = ?').run(thingName, principal);
	reg.bump();
}

export function listThingPrincipals(reg: Registry, thingName: string): string[] {
	describeThing(reg, thingName);
	return (reg.sql('SELECT principal FROM registry_thing_principals WHERE thing_name = ? ORDER BY principal').all(thingName) as { principal: string }[]).map((r) => r.principal);
}

export function listPrincipalThings(reg: Registry, principal: string): string[] {
	return (reg.sql('SELECT thing_name FROM registry_thing_principals WHERE principal = ? ORDER BY thing_name').all(principal) as { thing_name: string }[]).map((r) => r.thing_name);
}
