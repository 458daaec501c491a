/** The service's logging port: components log through this, the CLI decides where lines go. */
export interface Logger {
	info(message: string): void;
	warn(message: string): void;
	error(message: string): void;
}

export const silentLogger: Logger = Object.freeze({ info() {}, warn() {}, error() {} });
