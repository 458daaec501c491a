/** `warden sim`: argument validation, and a short real run against a real broker. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { parseScenarioArg, parseSimArgs } from '../../host/cli/commands/sim.ts';
import { startResponder } from '../agent-runtime/helpers/responder.ts';

const root = new URL('../..', import.meta.url).pathname;
const usageError = (e: { code?: string }) => e.code === 'WARDEN_ERR_CLI_USAGE';

const Sc = suite('parseScenarioArg');
Sc('NAME, NAME@index, NAME@thing', () => {
	assert.equal(parseScenarioArg('dos', 3), { name: 'dos' });
	assert.equal(parseScenarioArg('backdoor@2', 3), { name: 'backdoor', device: 2 });
	assert.equal(parseScenarioArg('cloned-identity@sim-1', 3), { name: 'cloned-identity', device: 'sim-1' });
});
Sc('rejects unknown names, bad devices', () => {
	for (const bad of ['nope', 'dos@3', 'dos@', 'dos@1@2', '@1', '']) assert.throws(() => parseScenarioArg(bad, 3), usageError, bad);
});
Sc.run();

const Args = suite('parseSimArgs');
Args('defaults and repeated scenarios', () => {
	const a = parseSimArgs({ broker: 'mqtt://127.0.0.1:1883', devices: 4, scenario: ['dos@1', 'botnet'] });
	assert.equal(a.fleet, {
		broker: 'mqtt://127.0.0.1:1883', devices: 4, scenarios: [{ name: 'dos', device: 1 }, { name: 'botnet' }],
		seed: 1, format: 'json', keys: 'long', intervalSec: 300,
	});
	assert.is(a.timeScale, 60);
	assert.is(a.durationSec, undefined);
	assert.equal(parseSimArgs({ broker: 'mqtt://h', devices: 1, scenario: 'dos' }).fleet.scenarios, [{ name: 'dos' }]);
});
Args('rejects malformed values', () => {
	const base = { broker: 'mqtt://127.0.0.1:1883', devices: 2 };
	for (const bad of [
		{ devices: 2 }, { ...base, broker: 'ftp://x' }, { ...base, devices: 0 }, { ...base, devices: 1001 }, { ...base, devices: 'many' },
		{ ...base, 'time-scale': 0.5 }, { ...base, 'time-scale': 'fast' }, { ...base, duration: -1 }, { ...base, seed: 1.5 },
		{ ...base, format: 'xml' }, { ...base, keys: 'x' }, { ...base, interval: 0 }, { ...base, scenario: 'dos@5' },
	]) {
		assert.throws(() => parseSimArgs(bad), usageError, JSON.stringify(bad));
	}
});
Args.run();

const Cmd = suite('warden sim');
Cmd('runs a scaled-time fleet, prints labels and final stats', async () => {
	const r = await startResponder();
	const child = spawn(process.execPath, [
		'--import', 'tsx', 'host/cli/index.ts', 'sim', '--broker', r.url, '--devices', '2', '--time-scale', '600',
		'--duration', '1800', '--scenario', 'backdoor@1', '--seed', '5',
	], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	child.stdout.on('data', (d) => { out += d; });
	try {
		const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
		assert.is(code, 0);
		const lines = out.trim().split('\n');
		assert.equal(JSON.parse(lines[0]!).label, 'backdoor');
		assert.equal(JSON.parse(lines[0]!).thingName, 'sim-1');
		const final = JSON.parse(lines.at(-1)!) as { labels: unknown[]; devices: Record<string, { accepted: number }> };
		assert.is(final.labels.length, 1);
		assert.equal(Object.keys(final.devices), ['sim-0', 'sim-1']);
		assert.ok(final.devices['sim-0']!.accepted >= 3, out);
		const seen = new Set(r.received.map((x) => x.thingName));
		assert.equal([...seen].sort(), ['sim-0', 'sim-1']);
		assert.ok(r.received.some((x) => x.thingName === 'sim-1' && x.report!.metrics!.listening_tcp_ports!.ports.some((p) => p.port === 4444)));
	} finally {
		child.kill('SIGKILL');
		await r.close();
	}
});
Cmd.run();
