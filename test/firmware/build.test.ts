/**
 * The QEMU board images: built from build/agent.wasm with wasm2c and arm-none-eabi-gcc, within
 * the firmware budgets (flash <= 32 KiB for agent + runtime + board code, RAM <= 24 KiB), with a
 * linear-memory pool that covers what the module touches.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImage, poolFor, POOL_HEAP_MARGIN } from '../../sim/qemu/build.ts';
import { loadBoard, qemuBoardNames, repoRoot } from '../../sim/qemu/boards.ts';
import { WardenError } from '../../host/errors.ts';
import { encodeConfig } from '../../host/agent-runtime/config-tlv.ts';

const agentWasm = join(repoRoot, 'build/agent.wasm');

const boards = suite('qemuBoardNames / loadBoard');

boards('lists the two Cortex-M QEMU boards and the RISC-V one', () => {
	assert.equal(qemuBoardNames(), ['qemu-mps2-an385', 'qemu-netduinoplus2', 'qemu-riscv32-virt']);
});

boards('an unknown board is a WARDEN_ERR_CONFIG naming the known ones', () => {
	try {
		loadBoard('esp32-devkit');
		assert.unreachable('should throw');
	} catch (e) {
		assert.instance(e, WardenError);
		assert.is((e as WardenError).code, 'WARDEN_ERR_CONFIG');
		assert.match((e as Error).message, /qemu-mps2-an385, qemu-netduinoplus2, qemu-riscv32-virt/);
	}
});

boards.run();

const pool = suite('poolFor');

pool('covers the agent\'s reported high-water mark plus the margin', async () => {
	const bytes = await poolFor(agentWasm);
	const { instance } = await WebAssembly.instantiate(readFileSync(agentWasm), {
		warden: new Proxy({}, { get: (_t, name) => () => (/_ms$|store_load/.test(String(name)) ? 0n : 0) }),
	} as WebAssembly.Imports);
	const ex = instance.exports as Record<string, CallableFunction> & { memory: WebAssembly.Memory };
	const cfg = encodeConfig({ thingName: 'probe' });
	new Uint8Array(ex.memory.buffer).set(cfg, ex.agent_config_ptr!() as number);
	assert.is(ex.agent_init!(cfg.length), 0);
	const hw = Number(ex.agent_stat!(9) as bigint);
	assert.ok(hw > 1024, `high-water ${hw}`);
	assert.ok(bytes >= hw + POOL_HEAP_MARGIN && bytes < hw + POOL_HEAP_MARGIN + 256, `pool ${bytes} for high-water ${hw}`);
	assert.is(bytes % 256, 0);
});

pool.run();

const build = suite('buildImage');

for (const name of qemuBoardNames()) {
	build(`${name}: agent + runtime + board within the board's flash and RAM budgets (board.json)`, async () => {
		const img = await buildImage({ board: name });
		assert.ok(img.flash > 8 * 1024, `flash ${img.flash} looks like a real image`);
		assert.ok(img.flash <= img.board.flashBudget, `flash ${img.flash} > budget ${img.board.flashBudget}`);
		assert.ok(img.ram <= img.board.ramBudget, `RAM ${img.ram} > budget ${img.board.ramBudget}`);
		assert.is(img.linearMemory, await poolFor(agentWasm));
		// the pool is the runtime's RAM; the generated module code is flash only
		assert.ok(img.owners.runtime!.ram >= img.linearMemory);
		assert.is(img.owners['agent (wasm2c)']!.ram, 0);
		const total = Object.values(img.owners).reduce((a, o) => a + o.flash, 0);
		assert.ok(Math.abs(total - img.flash) < 128, `owners' flash ${total} adds up to ${img.flash}`);
	});
}

build('a second build with unchanged inputs is not rebuilt', async () => {
	const a = await buildImage({ board: 'qemu-mps2-an385' });
	const b = await buildImage({ board: 'qemu-mps2-an385' });
	assert.is(b.rebuilt, false);
	assert.is(b.flash, a.flash);
});

build('a missing module is a WARDEN_ERR_CONFIG', async () => {
	try {
		await buildImage({ board: 'qemu-mps2-an385', wasm: join(repoRoot, 'build/does-not-exist.wasm') });
		assert.unreachable('should throw');
	} catch (e) {
		assert.is((e as WardenError).code, 'WARDEN_ERR_CONFIG');
	}
});

build.run();
