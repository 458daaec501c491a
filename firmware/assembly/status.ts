// Status codes shared by every agent function (docs/abi.md "Status codes").

/** Success. */
export const OK: i32 = 0;
/** Output does not fit; nothing partial is usable. */
export const BUFFER_TOO_SMALL: i32 = -1;
/** An argument or configuration entry is invalid. */
export const BAD_PARAM: i32 = -2;
/** The byte stream is down. */
export const NOT_CONNECTED: i32 = -3;
/** Malformed MQTT packet. */
export const PROTOCOL: i32 = -4;
/** A metric source has no data or gave an unusable record. */
export const UNAVAILABLE: i32 = -5;
