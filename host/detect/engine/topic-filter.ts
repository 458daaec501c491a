/** MQTT topic-filter matching for TOPIC_FILTER dimensions (spec §2.5). */

/**
 * Does `topic` match `filter`? `+` matches one level, a trailing `#` matches the rest
 * (including the parent level, [MQTT-4.7.1-2]), `${iot:ClientId}` is replaced by the client id.
 * Filters starting with a wildcard never match `$`-topics ([MQTT-4.7.2-1]).
 */
export function topicMatches(filter: string, topic: string, clientId: string): boolean {
	const f = filter.split('${iot:ClientId}').join(clientId).split('/');
	const t = topic.split('/');
	if ((f[0] === '+' || f[0] === '#') && topic.startsWith('$')) return false;
	for (let i = 0; i < f.length; i++) {
		if (f[i] === '#') return i === f.length - 1;
		if (i >= t.length) return false;
		if (f[i] !== '+' && f[i] !== t[i]) return false;
	}
	return f.length === t.length;
}

/** Does the topic fall under the dimension with this operator (IN: matches any filter; NOT_IN: none)? */
export function dimensionSelects(filters: readonly string[], operator: 'IN' | 'NOT_IN', topic: string, clientId: string): boolean {
	const hit = filters.some((f) => topicMatches(f, topic, clientId));
	return operator === 'IN' ? hit : !hit;
}
