/**
 * Resource ARNs of MQTT requests: `client/{clientId}` for iot:Connect, `topic/{topic}` for
 * iot:Publish and iot:Receive, `topicfilter/{filter}` for iot:Subscribe.
 */

export type MqttAction = 'connect' | 'publish' | 'subscribe' | 'receive';

export const IOT_ACTION: Readonly<Record<MqttAction, string>> = Object.freeze({
	connect: 'iot:Connect',
	publish: 'iot:Publish',
	subscribe: 'iot:Subscribe',
	receive: 'iot:Receive',
});

export interface ArnScope {
	region: string;
	accountId: string;
}

export function iotArn(scope: ArnScope, resource: string): string {
	return `arn:aws:iot:${scope.region}:${scope.accountId}:${resource}`;
}

/** The resource ARN checked for `action` on `name` (client id, topic or topic filter). */
export function mqttResourceArn(scope: ArnScope, action: MqttAction, name: string): string {
	const kind = action === 'connect' ? 'client' : action === 'subscribe' ? 'topicfilter' : 'topic';
	return iotArn(scope, `${kind}/${name}`);
}
