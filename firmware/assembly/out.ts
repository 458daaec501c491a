// Bounded output buffer shared by the encoders: writes never pass `cap`; overflow is sticky.

export let outPtr: usize = 0;
export let outCap: i32 = 0;
export let outLen: i32 = 0;
/** Set once a write did not fit; the encoder then reports BufferTooSmall. */
export let outOverflow: bool = false;

/** Starts writing at `ptr` with room for `cap` bytes. */
export function outReset(ptr: usize, cap: i32): void {
  outPtr = ptr;
  outCap = cap;
  outLen = 0;
  outOverflow = false;
}

export function putByte(b: u32): void {
  if (outLen >= outCap) {
    outOverflow = true;
    return;
  }
  store<u8>(outPtr + <usize>outLen, <u8>b);
  outLen++;
}

export function putBytes(src: usize, n: i32): void {
  if (n > outCap - outLen) {
    outOverflow = true;
    return;
  }
  memory.copy(outPtr + <usize>outLen, src, <usize>n);
  outLen += n;
}

