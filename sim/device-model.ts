/**
 * Drives one SimulatedDeviceState through time: normal behaviour (sim/device-profile.ts) plus the
 * device-side scenarios active at each instant. Time is integrated in chunks of at most one
 * minute, so counters follow the daily rhythm and a scenario window's traffic lands in the
 * reports that cover it. Deterministic for a given seed and sequence of `advanceTo` times.
 */
import { SimulatedDeviceState } from '../host/agent-runtime/simulated-device.ts';
import { CPU_METRIC, normalCpu, normalRates, type DeviceProfile } from './device-profile.ts';
import type { Rng } from './rng.ts';
import { SCENARIOS, type DeviceView, type ScenarioFixed, type ScenarioName } from './scenarios.ts';

/** One scheduled scenario on this device. */
export interface ScenarioWindow {
	name: ScenarioName;
	/** Unix ms, inclusive. */
	start: number;
	/** Unix ms, exclusive. */
	end: number;
	fixed: ScenarioFixed;
	rng: Rng;
}

const CHUNK_MS = 60_000;

export class DeviceModel {
	readonly state = new SimulatedDeviceState();
	readonly profile: DeviceProfile;
	readonly windows: ScenarioWindow[] = [];
	readonly #rng: Rng;
	#t: number;

	/** @param start Unix ms the device starts at (counters begin at zero). */
	constructor(profile: DeviceProfile, rng: Rng, start: number) {
		this.profile = profile;
		this.#rng = rng;
		this.#t = start;
		this.state.beforeSnapshot = (now) => this.advanceTo(now);
		this.#render(start, 0);
	}

	get time(): number {
		return this.#t;
	}

	/** Scenario names active at `t`. */
	activeAt(t: number): ScenarioName[] {
		return this.windows.filter((w) => t >= w.start && t < w.end).map((w) => w.name);
	}

	/** Integrate behaviour up to `t` (no-op when `t` is not later than the model time). */
	advanceTo(t: number): void {
		while (this.#t < t) {
			const dt = Math.min(CHUNK_MS, t - this.#t);
			// the chunk is judged at its midpoint; its end decides the visible lists
			this.#render(this.#t + dt / 2, dt);
			this.#t += dt;
		}
	}

	#render(t: number, dtMs: number): void {
		const p = this.profile;
		const view: DeviceView = {
			t,
			rates: normalRates(p, t, this.#rng),
			listeningTcp: p.listeningTcp.map((x) => ({ ...x })),
			listeningUdp: p.listeningUdp.map((x) => ({ ...x })),
			connections: p.servers.map((x) => ({ ...x })),
			cpu: normalCpu(p, t, this.#rng),
			profile: p,
		};
		for (const w of this.windows) {
			if (t >= w.start && t < w.end) SCENARIOS[w.name].apply?.(view, w.rng, w.fixed);
		}
		const sec = dtMs / 1000;
		this.state.addTraffic({
			bytesIn: Math.round(view.rates.bytesIn * sec),
			bytesOut: Math.round(view.rates.bytesOut * sec),
			packetsIn: Math.round(view.rates.packetsIn * sec),
			packetsOut: Math.round(view.rates.packetsOut * sec),
		});
		this.state.listeningTcp = view.listeningTcp;
		this.state.listeningUdp = view.listeningUdp;
		this.state.connections = view.connections;
		this.state.custom = [{ name: CPU_METRIC, type: 'number', value: Math.round(view.cpu * 10) / 10 }];
	}
}
