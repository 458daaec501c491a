/**
 * The registry as the Detect engine's ThingDirectory: a thing is registered when it exists in
 * `registry_things`, and its groups are its direct groups plus every ancestor (targets on a
 * parent group apply to members of child groups). Pass it as `directory` to startDetect.
 */
import { effectiveThingGroups } from '../registry/things.ts';
import type { Registry } from '../registry/registry.ts';
import type { ThingDirectory, ThingIdentity } from './engine/config-port.ts';

export function registryDirectory(reg: Registry): ThingDirectory {
	const exists = reg.db.prepare('SELECT 1 FROM registry_things WHERE name = ?');
	return Object.freeze({
		identity(thingName: string): ThingIdentity {
			if (!exists.get(thingName)) return { registered: false, groups: [] };
			return { registered: true, groups: effectiveThingGroups(reg, thingName) };
		},
	});
}
