# SPDX-License-Identifier: GPL-2.0
# Sourced by the block device tests (ide, nvme): data integrity checks
# that hold for any disk, whatever its driver.  The caller defines
# result() and n, as the tests' KTAP output goes.

# DISK offset(sectors) bytes: written from random data, read back.
blk_pattern_ok() {
	head -c "$3" /dev/urandom > /tmp/want
	dd if=/tmp/want of="$1" bs=512 seek="$2" oflag=direct conv=notrunc \
		2>/dev/null || return 1
	dd if="$1" of=/tmp/got bs=512 skip="$2" count=$(($3 / 512)) \
		iflag=direct 2>/dev/null || return 1
	cmp -s /tmp/want /tmp/got
}

# DISK SECTORS: patterns at many offsets and sizes, the last one at the
# end of the disk, and one through the page cache made stable by fsync
# (a flush); one KTAP result.
blk_patterns() {
	bad=
	last=$(($2 - 8))
	for spec in "0 4096" "1 512" "7 3584" "63 65536" "1000 1048576" \
		"4097 131072" "20000 524288" "$last 4096"; do
		# shellcheck disable=SC2086 # offset and size are two words
		blk_pattern_ok "$1" $spec || bad="$bad [$spec]"
	done
	head -c 65536 /dev/urandom > /tmp/want
	dd if=/tmp/want of="$1" bs=4096 seek=100 conv=notrunc,fsync 2>/dev/null
	echo 3 > /proc/sys/vm/drop_caches
	dd if="$1" of=/tmp/got bs=4096 skip=100 count=16 iflag=direct 2>/dev/null
	cmp -s /tmp/want /tmp/got || bad="$bad [fsync]"
	[ -z "$bad" ]
	result $? patterns_read_back "bad:$bad"
}

# DISK: fio's crc32c verify of random writes; one KTAP result.
blk_fio_verify() {
	if [ ! -x /usr/bin/fio ]; then
		echo "ok $((n = n + 1)) fio_verify_crc32c # SKIP no /usr/bin/fio"
		return
	fi
	/usr/bin/fio --name=verify --filename="$1" --direct=1 \
		--ioengine=libaio --iodepth=4 --rw=randwrite \
		--bsrange=512-128k --size=16M --verify=crc32c \
		--verify_fatal=1 --output=/tmp/fio.log >/dev/null 2>&1
	rc=$?
	bad='verify failed\|bad magic\|mismatch\|error='
	grep -q "$bad" /tmp/fio.log && [ $rc = 0 ] && rc=2
	result $rc fio_verify_crc32c "rc $rc $(grep -m2 "$bad" /tmp/fio.log)"
}
