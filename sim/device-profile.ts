/**
 * The normal behaviour of one simulated device, drawn once from its seed: traffic rates with a daily
 * rhythm, a stable set of listening ports, a few stable connections to known servers, and a CPU
 * load custom metric. `normalAt` gives what the device looks like at an instant when nothing is wrong.
 */
import type { ConnectionRecord, PortRecord } from '../host/agent-runtime/metric-source.ts';
import type { Rng } from './rng.ts';

export const DAY_MS = 86_400_000;
/** Name of the CPU custom metric every simulated device reports (type number, percent). */
export const CPU_METRIC = 'cpu_usage';

export interface Rates {
	/** Bytes and packets per second. */
	bytesIn: number;
	bytesOut: number;
	packetsIn: number;
	packetsOut: number;
}

export interface DeviceProfile {
	thingName: string;
	/** Mean rates at the daily average. */
	base: Rates;
	/** Peak-to-mean swing of the daily rhythm, 0..1. */
	dailySwing: number;
	/** Hour of the daily peak (UTC). */
	peakHour: number;
	/** Relative noise (standard deviation / mean) of each chunk. */
	noise: number;
	listeningTcp: PortRecord[];
	listeningUdp: PortRecord[];
	/** Known servers the device keeps connections to. */
	servers: ConnectionRecord[];
	cpuBase: number;
}

const KINDS = [
	{ tcp: [22, 1883], udp: [123], bps: 400 },
	{ tcp: [22, 80, 443], udp: [53, 123], bps: 2000 },
	{ tcp: [8080], udp: [5353], bps: 150 },
] as const;

/** Draw a device's normal behaviour. */
export function drawProfile(thingName: string, rng: Rng): DeviceProfile {
	const kind = rng.pick(KINDS);
	const bytesOut = kind.bps * (0.5 + rng.float());
	const bytesIn = bytesOut * (0.6 + rng.float() * 0.8);
	const servers: ConnectionRecord[] = [];
	const n = rng.int(2, 3);
	for (let i = 0; i < n; i++) {
		servers.push({ remoteIp: i === 0 ? '10.0.0.1' : rng.publicIp(), remotePort: i === 0 ? 8883 : 443, localPort: rng.int(32768, 60999), iface: 'eth0' });
	}
	return {
		thingName,
		base: { bytesIn, bytesOut, packetsIn: bytesIn / 300, packetsOut: bytesOut / 250 },
		dailySwing: 0.3 + rng.float() * 0.4,
		peakHour: rng.int(0, 23),
		noise: 0.1,
		listeningTcp: kind.tcp.map((port) => ({ port, iface: 'eth0' })),
		listeningUdp: kind.udp.map((port) => ({ port, iface: 'eth0' })),
		servers,
		cpuBase: 8 + rng.float() * 20,
	};
}

/** The daily rhythm factor at `t` (Unix ms): 1 ± swing, peaking at `peakHour`. */
export function dailyFactor(p: DeviceProfile, t: number): number {
	const phase = ((t - p.peakHour * 3_600_000) % DAY_MS) / DAY_MS;
	return 1 + p.dailySwing * Math.cos(2 * Math.PI * phase);
}

/** Normal rates at `t` with noise (never negative). */
export function normalRates(p: DeviceProfile, t: number, rng: Rng): Rates {
	const f = dailyFactor(p, t);
	const jitter = () => Math.max(0, 1 + rng.normal(0, p.noise));
	return {
		bytesIn: p.base.bytesIn * f * jitter(),
		bytesOut: p.base.bytesOut * f * jitter(),
		packetsIn: p.base.packetsIn * f * jitter(),
		packetsOut: p.base.packetsOut * f * jitter(),
	};
}

/** Normal CPU percent at `t`. */
export function normalCpu(p: DeviceProfile, t: number, rng: Rng): number {
	return Math.min(100, Math.max(0, p.cpuBase * dailyFactor(p, t) + rng.normal(0, 2)));
}
