/** MQTT helpers for agent tests: the independent `mqtt-packet` codec plays the broker. */
import * as mp from 'mqtt-packet';
import { loadAgent, type Agent, type AgentConfig } from './fake-host.ts';

/** Parses every complete packet in `buf` with mqtt-packet (MQTT 3.1.1); throws on a parse error. */
export function parsePackets(buf: Uint8Array): mp.Packet[] {
	const out: mp.Packet[] = [];
	const p = mp.parser({ protocolVersion: 4 });
	let err: Error | undefined;
	p.on('packet', (x: mp.Packet) => out.push(x));
	p.on('error', (e: Error) => { err = e; });
	p.parse(Buffer.from(buf));
	if (err) throw err;
	return out;
}

export function gen(packet: Record<string, unknown>): Buffer {
	return mp.generate(packet as unknown as mp.Packet, { protocolVersion: 4 });
}

export const connack = (returnCode = 0) => gen({ cmd: 'connack', returnCode, sessionPresent: false });
export const suback = (messageId: number, granted = [1, 1]) => gen({ cmd: 'suback', messageId, granted });
export const puback = (messageId: number) => gen({ cmd: 'puback', messageId });
export const pingresp = () => gen({ cmd: 'pingresp' });
export function publish(topic: string, payload: Buffer | string, qos: 0 | 1 = 0, messageId?: number): Buffer {
	return gen({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, messageId, dup: false, retain: false });
}

export function replyJson(status: 'ACCEPTED' | 'REJECTED', reportId: number, errorCode?: string): string {
	const r: Record<string, unknown> = { thingName: 'dev1', reportId, status, timestamp: 1700000000000 };
	if (errorCode) r.statusDetails = { ErrorCode: errorCode, ErrorMessage: `${errorCode}: details` };
	return JSON.stringify(r);
}

export interface Session {
	a: Agent;
	/** Report-publish packet id and the report's packet. */
	report: mp.IPublishPacket;
	topic: string;
}

export function step(a: Agent, times = 1): number {
	let r = 0;
	for (let i = 0; i < times; i++) r = a.x.agent_step();
	return r;
}

/** Connects, answers CONNACK and SUBACK, and collects the first report PUBLISH. */
export function connected(cfg: Partial<AgentConfig> = {}): Session {
	const a = loadAgent();
	a.host.clockMs = 1_000n;
	a.init({ thing: 'dev1', ...cfg });
	step(a);
	const [connect] = parsePackets(a.host.takeSent());
	if (connect?.cmd !== 'connect') throw new Error('no CONNECT');
	a.host.push(connack());
	step(a);
	const [sub] = parsePackets(a.host.takeSent());
	if (sub?.cmd !== 'subscribe') throw new Error('no SUBSCRIBE');
	a.host.push(suback(sub.messageId!));
	step(a);
	const [report] = parsePackets(a.host.takeSent());
	if (report?.cmd !== 'publish') throw new Error('no report PUBLISH');
	return { a, report, topic: report.topic };
}
