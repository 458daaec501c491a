/** Static buffers at their limits: publish-buffer fallback, agent_io sharing, oversized records, memory. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { loadAgent, specExampleMetrics, Stat, RELEASE_WASM } from './fake-host.ts';
import { connected, parsePackets, step } from './mqtt-helpers.ts';

const publishing = suite('agent_step publish buffer limits');

publishing('a report too large for the publish buffer is sent with a halved list cap, totals true', () => {
	const { a } = connected({ maxItems: 256, keepalive: 0 });
	a.host.connections = Array.from({ length: 300 }, (_, i) => ({
		remote: `2001:db8:1234:5678:9abc:def0:${(0x1000 + i).toString(16)}:ffff`, remotePort: 60000, localPort: 50000, iface: 'wlan0',
	}));
	a.x.agent_report_now();
	step(a);
	const [pub] = parsePackets(a.host.takeSent()) as any[];
	const ec = JSON.parse(pub.payload.toString()).metrics.tcp_connections.established_connections;
	assert.is(ec.total, 300);
	assert.is(ec.connections.length, 64, '256 → 128 → 64 entries');
	assert.ok(pub.payload.length <= a.x.agent_io_cap() - 176);
});

publishing('agent_encode into agent_io abandons the in-flight report (no retransmission)', () => {
	const { a } = connected({ keepalive: 0 });
	const r = a.encode(0);
	assert.ok(Buffer.isBuffer(r));
	a.host.clockMs += 30_000n;
	step(a);
	assert.is(a.stat(Stat.retransmissions), 0n);
	assert.is(a.host.takeSent().length, 0);
	assert.is(a.host.closes, 0);
});

publishing('agent_encode into agent_io while the PUBLISH is half-written drops the link', () => {
	const a = loadAgent();
	a.init({ thing: 'dev1', keepalive: 0 });
	step(a);
	a.host.takeSent();
	a.host.push(Buffer.from([0x20, 0x02, 0x00, 0x00]));
	step(a);
	const [sub] = parsePackets(a.host.takeSent()) as any[];
	a.host.sendBudget = 10; // the transport takes 10 bytes, then is full
	a.host.push(Buffer.from([0x90, 0x04, 0x00, sub.messageId, 0x01, 0x01]));
	assert.is(step(a), 50, 'bytes wait to be sent');
	assert.is(a.host.sent.length, 10);
	a.encode(1);
	step(a);
	assert.is(a.host.closes, 1);
});

publishing.run();

const records = suite('agent_encode record limits');

records('a custom metric record over 512 bytes is left out, the others stay', () => {
	const a = loadAgent();
	a.host.custom = [
		{ name: 'big', type: 'string-list', values: Array.from({ length: 30 }, () => 'x'.repeat(20)) },
		{ name: 'small', type: 'number', value: 3 },
	];
	a.init({ thing: 't' });
	const r = JSON.parse((a.encode(0) as Buffer).toString());
	assert.equal(r.custom_metrics, { small: [{ number: 3 }] });
});

records.run();

const memory = suite('agent memory (release build)');

memory('the release build gives the same golden bytes as the debug build', () => {
	for (const flags of [0, 1, 2, 3]) {
		const out = [undefined, RELEASE_WASM].map((wasm) => {
			const a = loadAgent(wasm);
			specExampleMetrics(a.host);
			a.init({ thing: 'x' });
			return (a.encode(flags) as Buffer).toString('hex');
		});
		assert.is(out[1], out[0]);
	}
});

memory('the module writes nothing above agent_stat(9), which is within 16 KiB', () => {
	const a = loadAgent(RELEASE_WASM);
	const m = a.mem();
	a.init({ thing: 'x' });
	const top = Number(a.stat(Stat.memoryHighWater));
	assert.ok(top > 1024 && top <= 16 * 1024, `${top}`);
	m.fill(0xa5, top);
	specExampleMetrics(a.host);
	a.host.connections = Array.from({ length: 64 }, (_, i) => ({ remote: `2001:db8::${i + 1}`, remotePort: 443, localPort: 1000 + i }));
	a.init({ thing: 'x', maxItems: 64 });
	for (const f of [0, 1, 2, 3]) assert.ok(Buffer.isBuffer(a.encode(f)));
	step(a);
	for (let i = top; i < m.length; i++) if (m[i] !== 0xa5) assert.unreachable(`byte ${i} written`);
	assert.ok(readFileSync(RELEASE_WASM).length <= 16 * 1024);
});

memory.run();

const generated = suite('firmware/tools/gen-static.mjs');

generated('keys.ts and text.ts are what the generator produces', async () => {
	const { execFileSync } = await import('node:child_process');
	const { mkdtempSync, rmSync } = await import('node:fs');
	const { tmpdir } = await import('node:os');
	const { join } = await import('node:path');
	const dir = mkdtempSync(join(tmpdir(), 'warden-gen-'));
	try {
		execFileSync(process.execPath, [new URL('../../firmware/tools/gen-static.mjs', import.meta.url).pathname, dir]);
		for (const f of ['keys.ts', 'text.ts']) {
			assert.is(readFileSync(join(dir, f), 'utf8'), readFileSync(new URL(`../../firmware/assembly/${f}`, import.meta.url), 'utf8'), f);
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

generated.run();

const surface = suite('agent ABI surface (docs/abi.md)');

surface('both builds import exactly the warden namespace and export the whole ABI', async () => {
	const { DEBUG_WASM } = await import('./fake-host.ts');
	const imports = ['clock_ms', 'epoch_ms', 'entropy', 'net_open', 'net_state', 'net_send', 'net_recv', 'net_close',
		'metrics_counters', 'metrics_count', 'metrics_item', 'store_load', 'store_save', 'log'].map((n) => `warden.${n}`).sort();
	const exports = ['memory', 'agent_config_ptr', 'agent_config_cap', 'agent_init', 'agent_step', 'agent_report_now',
		'agent_stat', 'agent_io_ptr', 'agent_io_cap', 'agent_encode'].sort();
	for (const url of [DEBUG_WASM, RELEASE_WASM]) {
		const m = new WebAssembly.Module(readFileSync(url));
		assert.equal(WebAssembly.Module.imports(m).map((i) => `${i.module}.${i.name}`).sort(), imports);
		assert.equal(WebAssembly.Module.exports(m).map((e) => e.name).sort(), exports);
	}
});

surface.run();
