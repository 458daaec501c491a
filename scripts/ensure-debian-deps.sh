#!/usr/bin/env bash
# Makes sure the test tools are present: QEMU for Cortex-M and RISC-V, the Arm cross compiler with
# newlib, the RISC-V cross compiler with picolibc, wabt (wasm2c), the host C compiler, and the AWS
# CLI (a second SigV4 client for the API tests).
# Installs them with apt-get when running as root; otherwise, or when the install fails, prints
# what is missing and exits 1 (WARDEN_ERR_TOOL_MISSING). Never skips.
set -euo pipefail
declare -A pkg_for=(
	[qemu-system-arm]=qemu-system-arm
	[arm-none-eabi-gcc]=gcc-arm-none-eabi
	[qemu-system-riscv32]=qemu-system-misc
	[riscv64-unknown-elf-gcc]=gcc-riscv64-unknown-elf
	[wasm2c]=wabt
	[gcc]=gcc
)
missing=()
for tool in "${!pkg_for[@]}"; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("${pkg_for[$tool]}")
done
# newlib ships no binary; check for its header
[[ -f /usr/lib/arm-none-eabi/include/string.h ]] || missing+=(libnewlib-arm-none-eabi)
# nor does picolibc; check for the specs file the RISC-V board links with
[[ -f /usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs ]] || missing+=(picolibc-riscv64-unknown-elf)
# the API tests run Debian's AWS CLI by its path, whatever else is on PATH
[[ -x /usr/bin/aws ]] || missing+=(awscli)
if ((${#missing[@]} == 0)); then exit 0; fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
	echo "warden: installing Debian packages: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	exit 0
fi
echo "warden: WARDEN_ERR_TOOL_MISSING: missing Debian packages: ${missing[*]}" >&2
echo "warden: install them with: sudo apt-get install -y ${missing[*]}" >&2
exit 1
