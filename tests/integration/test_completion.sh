#!/bin/bash
# Bash completion (contrib/vcourier.bash-completion, installed by make
# install): loaded into a real bash-completion, it completes the commands
# `vcourier help` lists, sub-commands and options, and skips global options.
. "$(dirname "$0")/../lib.sh"
[ -f /usr/share/bash-completion/bash_completion ] || fail "bash-completion missing (make deps)"
complete_line() {
	bash -c '. /usr/share/bash-completion/bash_completion
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
		_vcourier
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$ROOT/contrib/vcourier.bash-completion" "$@"
}
all=$(complete_line vcourier "")
for c in $("$VCOURIER" help | awk '/^  [a-z]/ {print $1}'); do
	assert_contains " $all" " $c " "command $c completed"
done
assert_eq "$(complete_line vcourier --db x -v de)" "deliver " "after global options"
assert_eq "$(complete_line vcourier manifest "")" "check show verify "
assert_eq "$(complete_line vcourier manifest show M1 --format "")" "html json text "
assert_eq "$(complete_line vcourier db "")" "migrate status "
assert_eq "$(complete_line vcourier nightly --)" "--date --dry-run --dump-problem --hub --jobs --json "
