import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../../bin/warden.js', import.meta.url).pathname;

const demo = suite('warden demo');

demo('a bounded run shows accepted JSON and CBOR reports, a rejection and the compromised devices\' violations', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'warden-demo-test-'));
	try {
		const r = await execa('node', [bin, 'demo', '--duration', '14', '--mqtt-port', '0', '--http-port', '0', '--time-scale', '200', '--data-dir', dir], {
			reject: false,
			timeout: 60_000,
		});
		const out = r.stdout;
		assert.is(r.exitCode, 0, r.stderr);
		assert.match(out, /sim-0\s+report \d+ JSON ACCEPTED/);
		assert.match(out, /cbor-0\s+report \d+ CBOR ACCEPTED/);
		assert.match(out, /broken-fw\s+report 1 JSON REJECTED InvalidPayload: custom_metrics\.cpu_usage must be an array of exactly one object/);
		assert.match(out, /sim-2\s+VIOLATION in-alarm demo-baseline\/known-listening-ports value=\{"ports":\[[0-9,]*4444[0-9,]*\]\}/);
		assert.match(out, /sim-4\s+VIOLATION in-alarm demo-baseline\/cpu/);
		// devices without an attack raise nothing
		assert.not.match(out, /sim-[0135]\s+VIOLATION/);
		const m = /the agents published (\d+) reports; their counters say (\d+) accepted, (\d+) rejected/.exec(out);
		assert.ok(m, 'summary line');
		assert.ok(Number(m![1]) >= 8 * 3, `published ${m![1]}`);
		assert.is(m![3], '0');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

demo('bad arguments exit 2 with a stable code', async () => {
	const r = await execa('node', [bin, 'demo', '--scenario', 'nope@1'], { reject: false, timeout: 30_000 });
	assert.is(r.exitCode, 2);
	assert.match(r.stderr, /WARDEN_ERR_CLI_USAGE: --scenario must be NAME@INDEX/);
	const r2 = await execa('node', [bin, 'demo', '--devices', '0'], { reject: false, timeout: 30_000 });
	assert.is(r2.exitCode, 2);
	assert.match(r2.stderr, /WARDEN_ERR_CLI_USAGE: --devices must be an integer from 1 to 200/);
});

demo.run();
