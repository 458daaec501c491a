/**
 * Labelled attack scenarios: the threats Device Defender exists for, as changes to a device's
 * behaviour (traffic, connections, ports, CPU) or as extra MQTT clients (sim/mqtt-actors.ts).
 * A scenario is active on one device during [start, end); the fleet records that window as a label.
 */
import type { ConnectionRecord, PortRecord } from '../host/agent-runtime/metric-source.ts';
import type { DeviceProfile, Rates } from './device-profile.ts';
import type { Rng } from './rng.ts';

export const SCENARIO_NAMES = [
	'dos', 'botnet', 'lateral-movement', 'crypto-mining', 'exfiltration', 'backdoor',
	'credential-stuffing', 'cloud-abuse', 'cloned-identity',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** The device as one integration chunk sees it; a scenario mutates it in place. */
export interface DeviceView {
	t: number;
	rates: Rates;
	listeningTcp: PortRecord[];
	listeningUdp: PortRecord[];
	connections: ConnectionRecord[];
	cpu: number;
	profile: DeviceProfile;
}

export interface ScenarioSpec {
	name: ScenarioName;
	/** What it simulates and which metrics should show it. */
	description: string;
	/** Metrics expected to move (Detect metric names, spec §2). */
	signals: readonly string[];
	defaultDurationMs: number;
	/** Device-side effect, applied on every chunk while active. `rng` is the scenario's own stream. */
	apply?(view: DeviceView, rng: Rng, fixed: ScenarioFixed): void;
	/** MQTT-side behaviour, run by sim/mqtt-actors.ts. */
	actor?: 'credential-stuffing' | 'cloud-abuse' | 'cloned-identity';
}

/** Values drawn once per scenario instance (the attacker's addresses stay put during a window). */
export interface ScenarioFixed {
	ip: string;
	port: number;
	ips: string[];
}

const HOUR = 3_600_000;

export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioSpec>> = Object.freeze({
	dos: {
		name: 'dos',
		description: 'DoS participation: the device floods a victim, outbound bytes and packets surge',
		signals: ['aws:all-bytes-out', 'aws:all-packets-out'],
		defaultDurationMs: HOUR,
		apply(v, _rng, f) {
			v.rates.bytesOut = v.rates.bytesOut * 20 + 2_000_000;
			v.rates.packetsOut = v.rates.packetsOut * 50 + 20_000;
			v.connections.push({ remoteIp: f.ip, remotePort: 80, localPort: 40000 + (f.port % 20000), iface: 'eth0' });
		},
	},
	botnet: {
		name: 'botnet',
		description: 'Botnet recruitment: C2 contact and scanning of many new public destinations',
		signals: ['aws:num-established-tcp-connections', 'aws:destination-ip-addresses', 'aws:all-packets-out'],
		defaultDurationMs: HOUR,
		apply(v, rng, f) {
			v.connections.push({ remoteIp: f.ip, remotePort: 6667, localPort: 45000, iface: 'eth0' });
			for (let i = 0; i < 30; i++) {
				v.connections.push({ remoteIp: rng.publicIp(), remotePort: rng.pick([23, 2323, 80, 8080]), localPort: rng.int(32768, 60999), iface: 'eth0' });
			}
			v.rates.packetsOut = v.rates.packetsOut * 5 + 500;
		},
	},
	'lateral-movement': {
		name: 'lateral-movement',
		description: 'Lateral movement: port scan of the local network (SSH, SMB, RDP, telnet)',
		signals: ['aws:num-established-tcp-connections', 'aws:destination-ip-addresses'],
		defaultDurationMs: HOUR,
		apply(v, rng) {
			for (let i = 0; i < 25; i++) {
				v.connections.push({ remoteIp: `10.0.${rng.int(0, 3)}.${rng.int(2, 254)}`, remotePort: rng.pick([22, 23, 445, 3389]), localPort: rng.int(32768, 60999), iface: 'eth0' });
			}
			v.rates.packetsOut = v.rates.packetsOut * 3 + 200;
		},
	},
	'crypto-mining': {
		name: 'crypto-mining',
		description: 'Crypto-mining: a connection to a mining pool (stratum port) and CPU near 100 %',
		signals: ['aws:destination-ip-addresses', 'aws:num-established-tcp-connections', 'cpu_usage'],
		defaultDurationMs: 6 * HOUR,
		apply(v, rng, f) {
			v.connections.push({ remoteIp: f.ip, remotePort: f.port, localPort: 51000, iface: 'eth0' });
			v.cpu = 92 + rng.float() * 7;
			v.rates.bytesOut += 300;
			v.rates.bytesIn += 300;
		},
	},
	exfiltration: {
		name: 'exfiltration',
		description: 'Data exfiltration: bulk upload to a new address',
		signals: ['aws:all-bytes-out', 'aws:destination-ip-addresses'],
		defaultDurationMs: HOUR,
		apply(v, _rng, f) {
			v.connections.push({ remoteIp: f.ip, remotePort: 443, localPort: 52000, iface: 'eth0' });
			v.rates.bytesOut += 500_000;
			v.rates.packetsOut += 400;
		},
	},
	backdoor: {
		name: 'backdoor',
		description: 'Backdoor: a new listening TCP port, with an inbound attacker connection',
		signals: ['aws:listening-tcp-ports', 'aws:num-listening-tcp-ports'],
		defaultDurationMs: 6 * HOUR,
		apply(v, _rng, f) {
			v.listeningTcp.push({ port: 4444, iface: 'eth0' });
			v.connections.push({ remoteIp: f.ip, remotePort: 50000 + (f.port % 1000), localPort: 4444, iface: 'eth0' });
		},
	},
	'credential-stuffing': {
		name: 'credential-stuffing',
		description: 'Credential stuffing: repeated MQTT connects with wrong credentials for the device',
		signals: ['aws:num-authorization-failures', 'aws:num-connection-attempts'],
		defaultDurationMs: HOUR,
		actor: 'credential-stuffing',
	},
	'cloud-abuse': {
		name: 'cloud-abuse',
		description: 'Cloud abuse: a message flood and publishes/subscribes to topics the device may not use',
		signals: ['aws:num-messages-sent', 'aws:message-byte-size', 'aws:num-authorization-failures'],
		defaultDurationMs: HOUR,
		actor: 'cloud-abuse',
	},
	'cloned-identity': {
		name: 'cloned-identity',
		description: 'Cloned identity: a second client connects with the device client id from another address',
		signals: ['aws:num-disconnects', 'aws:num-connection-attempts'],
		defaultDurationMs: HOUR,
		actor: 'cloned-identity',
	},
});

/** Draw the fixed attacker values of one scenario instance. */
export function drawFixed(name: ScenarioName, rng: Rng): ScenarioFixed {
	return {
		ip: rng.publicIp(),
		port: name === 'crypto-mining' ? rng.pick([3333, 4444, 14444]) : rng.int(1024, 65000),
		ips: Array.from({ length: 5 }, () => rng.publicIp()),
	};
}

export function isScenarioName(s: string): s is ScenarioName {
	return (SCENARIO_NAMES as readonly string[]).includes(s);
}
