import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../host/clock.ts';
import { CommitBuffer, emptyBatch } from '../../host/detect/engine/commit-buffer.ts';
import { resolveEngineOptions } from '../../host/detect/engine/engine-options.ts';
import { MemoryDetectConfig } from '../../host/detect/engine/memory-config.ts';
import { isWardenError } from '../../host/errors.ts';
import type { CommitBatch } from '../../host/detect/store/engine-store.ts';
import { openStore } from './fixtures.ts';

const ro = suite('resolveEngineOptions');
const base = () => ({ clock: new VirtualClock(), store: openStore(':memory:').store, config: new MemoryDetectConfig() });
ro('defaults, frozen', () => {
	const o = resolveEngineOptions(base());
	assert.is(o.datapointRetentionMs, 14 * 86_400_000);
	assert.is(o.eventRetentionMs, 30 * 86_400_000);
	assert.is(o.invalidateAfterMs, 2 * 86_400_000);
	assert.is(o.groupCommit, false);
	assert.match(o.newId(), /^[0-9a-f]{32}$/);
	assert.ok(Object.isFrozen(o));
});
ro('bad durations and missing ports are WARDEN_ERR_CONFIG', () => {
	for (const bad of [{ sweepIntervalMs: 0 }, { invalidateAfterMs: -1 }, { planCacheMs: Number.NaN }, { store: undefined }]) {
		try {
			resolveEngineOptions({ ...base(), ...bad } as never);
			assert.unreachable(JSON.stringify(bad));
		} catch (e) {
			assert.ok(isWardenError(e) && e.code === 'WARDEN_ERR_CONFIG', String(e));
		}
	}
});
ro.run();

const cb = suite('CommitBuffer');
cb('ungrouped writes at once; grouped merges one turn into one write', async () => {
	const writes: CommitBatch[] = [];
	const direct = new CommitBuffer((b) => writes.push(b), false, () => {});
	direct.push({ ...emptyBatch(), deleteViolations: ['a'] });
	assert.is(writes.length, 1);
	const grouped = new CommitBuffer((b) => writes.push(b), true, () => {});
	grouped.push({ ...emptyBatch(), deleteViolations: ['b'] });
	grouped.push({ ...emptyBatch(), deleteViolations: ['c'] });
	assert.is(writes.length, 1, 'nothing written during the turn');
	await new Promise((r) => setImmediate(r));
	assert.is(writes.length, 2);
	assert.equal(writes[1]!.deleteViolations, ['b', 'c']);
	grouped.push({ ...emptyBatch(), deleteViolations: ['d'] });
	grouped.flush();
	assert.equal(writes[2]!.deleteViolations, ['d']);
});
cb('a failing grouped write goes to onError', async () => {
	const errors: unknown[] = [];
	const b = new CommitBuffer(() => {
		throw new Error('disk full');
	}, true, (e) => errors.push(e));
	b.push(emptyBatch());
	await new Promise((r) => setImmediate(r));
	assert.is((errors[0] as Error).message, 'disk full');
});
cb.run();
