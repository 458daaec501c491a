/**
 * encodeConfig refuses, with WARDEN_ERR_AGENT_CONFIG naming the field, exactly what the agent's
 * agent_init would refuse: each rule is checked at its boundary against the real module
 * (build/agent.debug.wasm), the accepted side through encodeConfig, the refused side through raw TLV.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AGENT_CONFIG_CAP, encodeConfig, type AgentConfig } from '../../host/agent-runtime/config-tlv.ts';
import { WardenError } from '../../host/errors.ts';
import { configBytes, loadAgent, type AgentConfig as RawConfig } from '../agent/fake-host.ts';

const agent = loadAgent();

/** agent_init's status for these configuration bytes. */
function agentInit(bytes: Uint8Array): number {
	agent.mem().set(bytes, agent.x.agent_config_ptr());
	return agent.x.agent_init(bytes.length);
}

/** The WardenError encodeConfig raises (fails the test if it returns). */
function refusal(cfg: AgentConfig, cap?: number): WardenError {
	try {
		const b = encodeConfig(cfg, cap);
		assert.unreachable(`encoded ${b.length} bytes for ${JSON.stringify(cfg).slice(0, 80)}`);
	} catch (e) {
		if (!(e instanceof WardenError)) throw e;
		assert.is(e.code, 'WARDEN_ERR_AGENT_CONFIG');
		return e;
	}
	throw new Error('unreachable');
}

/** The boundary value is accepted by both; one step past it is refused by both, the message naming `field`. */
function rule(field: RegExp, ok: AgentConfig, okRaw: RawConfig, badCfg: AgentConfig, badRaw: RawConfig): void {
	assert.is(agentInit(encodeConfig(ok)), 0, `agent takes ${JSON.stringify(ok).slice(0, 60)}`);
	assert.is(agentInit(configBytes(okRaw)), 0);
	assert.match(refusal(badCfg).message, field);
	assert.is(agentInit(configBytes(badRaw)), -2, 'the agent refuses it too');
}

const Encode = suite('encodeConfig');

Encode('the module reports the region size the runtime assumes', () => {
	assert.is(agent.x.agent_config_cap(), AGENT_CONFIG_CAP);
});

Encode('strings: thing name and client id 1..128 bytes, username and password 0..128 bytes', () => {
	const s128 = 'é'.repeat(64); // 128 UTF-8 bytes
	rule(/^thingName must be 1 to 128 UTF-8 bytes \(got 129\)/, { thingName: s128 }, { thing: s128 }, { thingName: `${s128}x` }, { thing: `${s128}x` });
	rule(/^thingName must be 1 to 128/, { thingName: 'a' }, { thing: 'a' }, { thingName: '' }, { thing: '' });
	rule(/^clientId must be 1 to 128 UTF-8 bytes \(got 129\)/, { thingName: 't', clientId: 'c'.repeat(128) }, { thing: 't', clientId: 'c'.repeat(128) },
		{ thingName: 't', clientId: 'c'.repeat(129) }, { thing: 't', clientId: 'c'.repeat(129) });
	rule(/^clientId must be 1 to 128/, { thingName: 't', clientId: 'c' }, { thing: 't', clientId: 'c' }, { thingName: 't', clientId: '' }, { thing: 't', clientId: '' });
	rule(/^username must be 0 to 128 UTF-8 bytes \(got 129\)/, { thingName: 't', username: 'u'.repeat(128) }, { thing: 't', username: '' },
		{ thingName: 't', username: 'u'.repeat(129) }, { thing: 't', username: 'u'.repeat(129) });
	rule(/^password must be 0 to 128 UTF-8 bytes \(got 129\)/, { thingName: 't', username: '', password: 'p'.repeat(128) }, { thing: 't', username: 'u', password: '' },
		{ thingName: 't', username: 'u', password: 'p'.repeat(129) }, { thing: 't', username: 'u', password: 'p'.repeat(129) });
	assert.match(refusal({ thingName: 7 as unknown as string }).message, /^thingName must be a string/);
});

Encode('thing name: no control characters, no / + # (it is a topic level)', () => {
	for (const c of ['\u0000', '\u001f', '\u007f', '\n']) {
		rule(/^thingName must not contain control characters/, { thingName: 'a b~' }, { thing: 'a b~' }, { thingName: `a${c}b` }, { thing: `a${c}b` });
	}
	for (const c of ['/', '+', '#']) {
		rule(/^thingName must not contain '\/', '\+' or '#'/, { thingName: 'dev-1_a:b.c' }, { thing: 'dev-1_a:b.c' }, { thingName: `dev${c}1` }, { thing: `dev${c}1` });
	}
	// a character outside ASCII is fine for both (UTF-8 bytes are all >= 0x80)
	assert.is(agentInit(encodeConfig({ thingName: 'gerät-ü' })), 0);
});

Encode('a password needs a username [MQTT-3.1.2-22]', () => {
	rule(/^password needs a username/, { thingName: 't', username: 'u', password: 'p' }, { thing: 't', username: 'u', password: 'p' },
		{ thingName: 't', password: 'p' }, { thing: 't', password: 'p' });
});

Encode('list cap 1..256', () => {
	rule(/^maxListItems must be an integer from 1 to 256 \(got 257\)/, { thingName: 't', maxListItems: 256 }, { thing: 't', maxItems: 256 },
		{ thingName: 't', maxListItems: 257 }, { thing: 't', maxItems: 257 });
	rule(/^maxListItems must be an integer from 1 to 256 \(got 0\)/, { thingName: 't', maxListItems: 1 }, { thing: 't', maxItems: 1 },
		{ thingName: 't', maxListItems: 0 }, { thing: 't', maxItems: 0 });
	assert.match(refusal({ thingName: 't', maxListItems: 2.5 }).message, /^maxListItems/);
});

Encode('numbers: interval 1..2^32-1 (0 is invalid), keepalive 0..65535', () => {
	rule(/^intervalSec must be an integer from 1/, { thingName: 't', intervalSec: 1, allowShortInterval: true }, { thing: 't', interval: 1, flags: 4 },
		{ thingName: 't', intervalSec: 0 }, { thing: 't', interval: 0 });
	assert.match(refusal({ thingName: 't', keepaliveSec: 65536 }).message, /^keepaliveSec must be an integer from 0 to 65535/);
	assert.is(agentInit(encodeConfig({ thingName: 't', keepaliveSec: 0 })), 0);
});

Encode('the whole configuration must fit agent_config_cap()', () => {
	const full: AgentConfig = {
		thingName: 't'.repeat(128), clientId: 'c'.repeat(128), username: 'u'.repeat(128), password: 'p'.repeat(128),
		keepaliveSec: 60, intervalSec: 300, format: 'cbor', keys: 'short', maxListItems: 256,
	};
	const bytes = encodeConfig(full);
	assert.is(bytes.length, 548, 'every option at its longest fits the 640-byte region');
	assert.is(agentInit(bytes), 0);
	assert.is(encodeConfig(full, 548).length, 548);
	assert.match(refusal(full, 547).message, /^configuration is 548 bytes, over the agent's 547-byte configuration region/);
	// the module refuses a length over its region
	assert.is(agent.x.agent_init(AGENT_CONFIG_CAP + 1), -2);
});

Encode('encoding is unchanged for a valid configuration', () => {
	const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
	assert.is(hex(encodeConfig({ thingName: 'x', clientId: 'c', username: '', password: 'pw' })),
		'01010078' + '02010063' + '030000' + '0402007077' + '070400' + '00000000');
	assert.is(hex(encodeConfig({ thingName: 'x', maxListItems: 256, format: 'cbor' })), '01010078' + '070400' + '01000000' + '0802000001');
});

Encode.run();
