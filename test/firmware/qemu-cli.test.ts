/** `warden qemu`: argument validation, and a real board bridged to a running service. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { join } from 'node:path';
import { startWarden } from '../../host/server.ts';
import { repoRoot } from '../../sim/qemu/boards.ts';
import { tempDir } from '../helpers/mqtt.ts';

const bin = join(repoRoot, 'bin/warden.js');
const cli = suite('warden qemu');

cli('usage errors: an unknown board (naming the boards), a broker that is not mqtt:// or mqtts://', async () => {
	const [board, broker] = await Promise.all([
		execa('node', [bin, 'qemu', '--board', 'esp8266'], { reject: false }),
		execa('node', [bin, 'qemu', '--broker', 'http://127.0.0.1:80'], { reject: false }),
	]);
	assert.is.not(board.exitCode, 0);
	assert.match(board.stderr + board.stdout, /WARDEN_ERR_CLI_USAGE: --board must be one of qemu-mps2-an385, qemu-netduinoplus2/);
	assert.is.not(broker.exitCode, 0);
	assert.match(broker.stderr + broker.stdout, /--broker must look like mqtt:\/\/host:port/);
});

cli('boots a board, prints its statistics as reports are accepted, stops cleanly on SIGINT', async () => {
	const w = await startWarden({ mqttPort: 0, httpPort: null, dataDir: tempDir('warden-qemu-cli-') });
	try {
		const p = execa('node', [bin, 'qemu', '--board', 'qemu-mps2-an385', '--broker', `mqtt://127.0.0.1:${w.mqttPort}`, '--thing', 'cli-dev', '--format', 'cbor'], { reject: false });
		let out = '';
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no accepted report within 30 s:\n${out}`)), 30_000);
			p.stdout?.on('data', (d: Buffer) => {
				out += d.toString();
				if (/stats published=1 accepted=1 /.test(out)) {
					clearTimeout(timer);
					resolve();
				}
			});
		});
		p.kill('SIGINT');
		const r = await p;
		assert.is(r.exitCode, 0);
		assert.match(out, /qemu-mps2-an385 booted \(flash \d+ B, RAM \d+ B\)/);
		assert.match(out, /\[qemu-mps2-an385\] warden: exit requested/);
	} finally {
		await w.close();
	}
});

cli.run();
