import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../host/clock.ts';
import { HISTORY_RETENTION_MS } from '../../host/registry/registry-service.ts';
import { startMtlsBed } from './fixture.ts';

const retention = suite('startRegistryService');
retention('ended sessions older than the retention are pruned daily; open ones stay', async () => {
	const clock = new VirtualClock(Date.now());
	const bed = await startMtlsBed(clock);
	try {
		const t0 = clock.now();
		const ev = { sourceIp: '10.0.0.1', certificateId: null, thingName: null };
		bed.bus.emit('broker.connect', { ...ev, clientId: 'old', at: t0 });
		bed.bus.emit('broker.disconnect', { ...ev, clientId: 'old', at: t0 + 1000, reason: 'x' });
		bed.bus.emit('broker.connect', { ...ev, clientId: 'still-open', at: t0 });
		assert.equal(bed.svc.connections.list(0).map((s) => s.clientId).sort(), ['old', 'still-open']);
		clock.advance(HISTORY_RETENTION_MS);
		assert.is(bed.svc.connections.list(0).length, 2);
		clock.advance(86_400_000);
		assert.equal(bed.svc.connections.list(0).map((s) => s.clientId), ['still-open']);
	} finally {
		await bed.close();
	}
	assert.is(clock.pendingTimers, 0);
});
retention.run();
