import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWarden } from '../../host/server.ts';
import { isWardenError } from '../../host/errors.ts';

const listen = suite('startWarden listeners');

async function occupied(): Promise<{ server: Server; port: number }> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, port: (server.address() as { port: number }).port };
}

for (const which of ['mqttPort', 'httpPort'] as const) {
	listen(`a ${which} in use is refused with WARDEN_ERR_LISTEN naming the address`, async () => {
		const { server, port } = await occupied();
		const dir = mkdtempSync(join(tmpdir(), 'warden-listen-'));
		try {
			const opts = { dataDir: dir, mqttPort: 0, httpPort: 0, [which]: port };
			const err = await startWarden(opts).then(
				async (w) => {
					await w.close();
					return null;
				},
				(e: unknown) => e,
			);
			assert.ok(isWardenError(err), String(err));
			assert.is((err as { code: string }).code, 'WARDEN_ERR_LISTEN');
			assert.match((err as Error).message, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE \\(the port is in use`));
		} finally {
			server.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
}

listen.run();
