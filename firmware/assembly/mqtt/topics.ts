// Device Defender topics (spec §1.1): $aws/things/{thing}/defender/metrics/{json|cbor}[/accepted|/rejected].
import * as T from "../text";

/** Longest base topic: 12 + 128 (thing name) + 18 + 4 bytes. */
const TOPIC_CAP: i32 = 162;
export const topic: usize = memory.data(TOPIC_CAP);
/** Length of the publish topic (the base of the two reply topics); 0 before configuration. */
export let topicLen: i32 = 0;

function put(at: i32, p: usize, n: i32): i32 {
  memory.copy(topic + <usize>at, p, <usize>n);
  return at + n;
}

/** Builds the publish topic for `thing` and the chosen format. */
export function buildTopic(thing: usize, thingLen: i32, cbor: bool): void {
  let at = put(0, T.T_AWS_THINGS, T.T_AWS_THINGS_LEN);
  at = put(at, thing, thingLen);
  at = put(at, T.T_DEFENDER_METRICS, T.T_DEFENDER_METRICS_LEN);
  at = cbor ? put(at, T.T_CBOR, T.T_CBOR_LEN) : put(at, T.T_JSON, T.T_JSON_LEN);
  topicLen = at;
}

/** 1 when [p, p + n) is the accepted reply topic, 2 for rejected, 0 otherwise. */
export function replyTopicKind(p: usize, n: i32): i32 {
  if (n != topicLen + T.T_ACCEPTED_SUFFIX_LEN || memory.compare(p, topic, <usize>topicLen) != 0) return 0;
  const s = p + <usize>topicLen;
  if (memory.compare(s, T.T_ACCEPTED_SUFFIX, <usize>T.T_ACCEPTED_SUFFIX_LEN) == 0) return 1;
  if (memory.compare(s, T.T_REJECTED_SUFFIX, <usize>T.T_REJECTED_SUFFIX_LEN) == 0) return 2;
  return 0;
}
