# tests/integration/diskfull_lib.sh: a real full disk for PostgreSQL
# (sourced after lib.sh, once the test's database exists). The tablespace
# is a tmpfs, so the server really gets ENOSPC and answers SQLSTATE 53100;
# no error is simulated.
#
# df_tiny_tablespace [SIZE]: mount a SIZE (default 2m) tmpfs and make it
# the tablespace $DF_TS; undone when the test ends (database, tablespace,
# mount, folder, in that order). Mounting needs root (CI runs as root):
# without it the test says SKIP and exits 77, which tests/run.sh counts
# apart, never as passed; as root a failed mount is a failure.
df_tiny_tablespace() {
	local size=${1:-2m}
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: not root: cannot mount the tmpfs that plays the full disk" >&2
		exit 77
	fi
	# outside $T_TMP (0700, root's): the server, user postgres, must reach it
	DF_DIR=$(mktemp -d /tmp/vcourier-tiny.XXXXXX)
	DF_TS=vc_tiny_$$
	chmod 755 "$DF_DIR"
	t_on_exit "dropdb --if-exists -f \"\$T_DB\"; psql -Xq -d postgres -c 'DROP TABLESPACE IF EXISTS $DF_TS'; umount '$DF_DIR' || umount -l '$DF_DIR'; rmdir '$DF_DIR'"
	mount -t tmpfs -o "size=$size,mode=0700" vcourier-tiny "$DF_DIR" || fail "cannot mount a tmpfs as root"
	mkdir "$DF_DIR/pg"
	chown postgres "$DF_DIR" "$DF_DIR/pg"
	q "CREATE TABLESPACE $DF_TS LOCATION '$DF_DIR/pg'"
}

# df_fill: fill $DF_TS to its last page: one filler table grows until the
# server says the disk is full. Autovacuum is off for it, so that nothing
# gives the aborted insert's pages back behind the test's back.
df_fill() {
	local out
	q "CREATE TABLE df_filler (n bigint) WITH (autovacuum_enabled = false) TABLESPACE $DF_TS"
	if out=$(q "INSERT INTO df_filler SELECT g FROM generate_series(1, 100000000) g" 2>&1); then
		fail "the filler fitted: $DF_TS is not a small disk"
	fi
	assert_contains "$out" "No space left on device" "filling $DF_TS"
}

# df_free: the space back (a dropped table's file is truncated at commit).
df_free() { q "DROP TABLE df_filler"; }
