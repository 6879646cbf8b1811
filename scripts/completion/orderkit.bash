# orderkit.bash: bash completion for orderkit's programs.  make install
# puts it in $(PREFIX)/share/bash-completion/completions under each
# program's name, where bash-completion loads it on first use; or source it
# from ~/.bashrc.  Options come from the program's own --help, so that they
# are never out of date; --map offers the maps installed by name.
# shellcheck shell=bash

# _orderkit_maps PROG: the names of the maps PROG finds by name.
_orderkit_maps() {
	local bin dir f
	bin=$(command -v "$1" 2>/dev/null)
	for dir in ${ORDERKIT_DATADIR:+"$ORDERKIT_DATADIR/maps"} \
	    ${bin:+"${bin%/*}/../share/orderkit/maps"} \
	    /usr/local/share/orderkit/maps /usr/share/orderkit/maps; do
		for f in "$dir"/*.map; do
			[[ -f $f ]] || continue
			f=${f##*/}
			printf '%s\n' "${f%.map}"
		done
	done
}

_orderkit() {
	local prog=$1 cur=$2 prev=$3 words
	COMPREPLY=()
	case $prev in
	--map)
		words=$(_orderkit_maps "$prog")
		mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
		mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	--format)
		words=$("$prog" --list-formats 2>/dev/null | cut -d ' ' -f 1)
		[[ $prog == order-import ]] && words+=" auto"
		mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
		return
		;;
	--mode)
		mapfile -t COMPREPLY < <(compgen -W "set add" -- "$cur")
		return
		;;
	--per)
		mapfile -t COMPREPLY < <(compgen -W "order item" -- "$cur")
		return
		;;
	--ship-method)
		mapfile -t COMPREPLY < <(compgen -W "courier post pickup" -- "$cur")
		return
		;;
	--db | --rejects | --catalog | --payments | --report | --config | \
	    --out | --stats)
		if [[ $prev != --stats ]]; then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			return
		fi
		;;
	esac
	if [[ $cur == -* ]]; then
		words=$("$prog" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' |
		    sort -u)
		mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
		return
	fi
	if [[ $prog == orderkit-daily ]]; then
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return
	fi
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

complete -o filenames -F _orderkit order-export order-import order-reserve \
    order-validate orderkit-daily pay-reconcile ship-book stock-levels \
    stock-load track-poll
