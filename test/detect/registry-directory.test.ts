import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../host/clock.ts';
import { registryDirectory } from '../../host/detect/registry-directory.ts';
import { targetMatches } from '../../host/detect/engine/config-port.ts';
import { openRegistry } from '../../host/registry/registry.ts';
import { addThingToThingGroup, createThing, createThingGroup } from '../../host/registry/things.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';

const rd = suite('registryDirectory');
rd('registered things carry their groups and every ancestor; unknown things are unregistered', () => {
	const reg = openRegistry({ db: openSqlite(':memory:'), clock: new VirtualClock() });
	createThingGroup(reg, { thingGroupName: 'site' });
	createThingGroup(reg, { thingGroupName: 'cams', parentGroupName: 'site' });
	createThing(reg, { thingName: 'cam-1' });
	addThingToThingGroup(reg, 'cam-1', 'cams');
	const dir = registryDirectory(reg);
	const id = dir.identity('cam-1');
	assert.is(id.registered, true);
	assert.equal([...id.groups].sort(), ['cams', 'site']);
	assert.equal(dir.identity('ghost'), { registered: false, groups: [] });
	assert.ok(targetMatches('arn:aws:iot:us-east-1:123456789012:thinggroup/site', id), 'a parent-group target applies');
	assert.ok(targetMatches('arn:aws:iot:us-east-1:123456789012:all/registered-things', id));
	assert.not.ok(targetMatches('arn:aws:iot:us-east-1:123456789012:all/unregistered-things', id));
	assert.ok(targetMatches('arn:aws:iot:us-east-1:123456789012:all/unregistered-things', dir.identity('ghost')));
});
rd.run();
