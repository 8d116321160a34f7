#!/usr/bin/env bash
# A private CUPS scheduler with one CUPS-PDF print queue, for AR Desk's printing tests.
#
#   scripts/cups-test-server.sh start   start it, add the queue, print the environment the tests read
#   scripts/cups-test-server.sh stop    stop it and remove what start created
#   scripts/cups-test-server.sh env     print the environment again (after start)
#
# It never touches the machine's own CUPS: its own cupsd (run in the foreground, pid kept in the
# folder) listens on a socket in $AR_DESK_CUPS_DIR (default /tmp/ar-desk-cups), with its own
# configuration, spool and logs there. The queue (default ARDeskPDF, the server's default printer)
# writes every job as a PDF into $AR_DESK_CUPS_DIR/out, one file per job named job_N-TITLE.pdf.
#
# Use it locally like CI does:
#   eval "$(sudo scripts/cups-test-server.sh start)"   # exports CUPS_SERVER and AR_DESK_TEST_CUPS_*
#   npx vitest run test/integration/printing
#   sudo scripts/cups-test-server.sh stop
#
# Needs Debian's cups, cups-client, cups-bsd and printer-driver-cups-pdf, and root: CUPS runs the
# cups-pdf backend as root only, and cups-pdf reads its settings from /etc/cups alone (this writes
# /etc/cups/cups-pdf-<instance>.conf and removes it on stop). Anyone on this machine may print to and
# administer the private server through its socket: it exists for tests only.
set -euo pipefail

DIR="${AR_DESK_CUPS_DIR:-${TMPDIR:-/tmp}/ar-desk-cups}"
PRINTER="${AR_DESK_CUPS_PRINTER_NAME:-ARDeskPDF}"
SOCKET="$DIR/cups.sock"
# cups-pdf picks /etc/cups/cups-pdf-NAME.conf for the device URI cups-pdf:/NAME; one name per folder.
INSTANCE="ardesk-$(printf '%s' "$DIR" | cksum | cut -d' ' -f1)"
PDF_CONF="/etc/cups/cups-pdf-$INSTANCE.conf"
BACKEND=/usr/lib/cups/backend/cups-pdf

say() { echo "[cups-test-server] $*" >&2; }
die() { say "$*"; exit 1; }

# What the tests read: the scheduler, the queue, its output folder, and how to add another queue like it.
print_env() {
  echo "export CUPS_SERVER='$SOCKET'"
  echo "export AR_DESK_TEST_CUPS_PRINTER='$PRINTER'"
  echo "export AR_DESK_TEST_CUPS_OUT='$DIR/out'"
  echo "export AR_DESK_TEST_CUPS_DEVICE='cups-pdf:/$INSTANCE'"
  echo "export AR_DESK_TEST_CUPS_DRIVER='$(cat "$DIR/driver" 2>/dev/null)'"
}

running_pid() {
  local pid
  pid="$(cat "$DIR/cupsd.pid" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null || echo cupsd)" = "cupsd" ] && echo "$pid"
  return 0
}

find_ppd() {
  for f in /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd /usr/share/ppd/cups-pdf/CUPS-PDF.ppd; do
    [ -f "$f" ] && { echo "-P $f"; return; }
  done
  # Elsewhere the driver may only be known to the scheduler's driver list.
  local model
  model="$(CUPS_SERVER="$SOCKET" lpinfo -m 2>/dev/null | grep -i 'cups-pdf' | head -1 | cut -d' ' -f1 || true)"
  [ -n "$model" ] && echo "-m $model"
}

start() {
  for c in cupsd lp lpstat lpadmin cupsenable cupsdisable; do
    command -v "$c" >/dev/null 2>&1 || die "$c is missing: apt-get install cups cups-client cups-bsd printer-driver-cups-pdf"
  done
  [ -f "$BACKEND" ] || die "$BACKEND is missing: apt-get install printer-driver-cups-pdf"
  [ "$(id -u)" = "0" ] || die "run as root (sudo): CUPS runs the cups-pdf backend as root and cups-pdf reads /etc/cups only"
  if [ -n "$(running_pid)" ]; then
    say "already running (pid $(running_pid)) on $SOCKET"
    print_env
    return
  fi

  # Only a folder this script made (or an empty one) is cleared: AR_DESK_CUPS_DIR may be mistyped.
  if [ -d "$DIR" ] && [ -n "$(ls -A "$DIR")" ] && [ ! -f "$DIR/.ar-desk-cups" ]; then
    die "$DIR is not empty and was not made by this script; choose another AR_DESK_CUPS_DIR"
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"/{etc/ppd,spool/tmp,cache,run,log,out,pdf-spool}
  touch "$DIR/.ar-desk-cups"
  chmod 0755 "$DIR" "$DIR/etc" "$DIR/log" "$DIR/run"
  chmod 1777 "$DIR/out"

  cat >"$DIR/cups-files.conf" <<EOF
ServerRoot $DIR/etc
RequestRoot $DIR/spool
TempDir $DIR/spool/tmp
CacheDir $DIR/cache
StateDir $DIR/run
ServerBin /usr/lib/cups
DataDir /usr/share/cups
DocumentRoot /usr/share/cups/doc-root
AccessLog $DIR/log/access_log
ErrorLog $DIR/log/error_log
PageLog $DIR/log/page_log
User lp
Group lp
SystemGroup root
FileDevice No
Sandboxing Relaxed
Printcap $DIR/run/printcap
EOF

  cat >"$DIR/cupsd.conf" <<EOF
LogLevel info
MaxLogSize 0
Listen $SOCKET
Browsing No
WebInterface No
DefaultAuthType None
# A job whose backend fails is aborted (and shown as such), not left to stop the queue for the next test.
ErrorPolicy abort-job
PreserveJobHistory Yes
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOF

  cat >"$PDF_CONF" <<EOF
Out $DIR/out
AnonDirName $DIR/out
Spool $DIR/pdf-spool
Log $DIR/log
LogType 3
Label 1
Grp root
UserUMask 0022
EOF

  setsid cupsd -f -c "$DIR/cupsd.conf" -s "$DIR/cups-files.conf" </dev/null >>"$DIR/log/cupsd.out" 2>&1 &
  echo $! >"$DIR/cupsd.pid"

  export CUPS_SERVER="$SOCKET"
  local i
  for i in $(seq 1 50); do
    lpstat -r 2>/dev/null | grep -q 'is running' && break
    [ -n "$(running_pid)" ] || { cat "$DIR/log/cupsd.out" "$DIR/log/error_log" >&2 2>/dev/null || true; die "cupsd did not start"; }
    sleep 0.2
  done
  lpstat -r 2>/dev/null | grep -q 'is running' || die "cupsd does not answer on $SOCKET"

  local ppd
  ppd="$(find_ppd)"
  [ -n "$ppd" ] || die "no CUPS-PDF driver found (lpinfo -m | grep -i pdf)"
  echo "$ppd" >"$DIR/driver"
  # shellcheck disable=SC2086 # $ppd is an option and its value
  lpadmin -p "$PRINTER" -E -v "cups-pdf:/$INSTANCE" $ppd -o printer-error-policy=abort-job \
    -D "AR Desk test printer (PDF files in $DIR/out)"
  lpadmin -d "$PRINTER"
  cupsenable "$PRINTER"
  cupsaccept "$PRINTER" 2>/dev/null || lpadmin -p "$PRINTER" -E
  say "cupsd pid $(running_pid) on $SOCKET; queue $PRINTER prints into $DIR/out"
  print_env | tee "$DIR/env"
}

stop() {
  local pid
  pid="$(running_pid)"
  if [ -n "$pid" ]; then
    kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    say "stopped cupsd pid $pid"
  else
    say "not running"
  fi
  rm -f "$PDF_CONF" "$DIR/cupsd.pid" "$SOCKET"
  if [ -z "${AR_DESK_CUPS_KEEP:-}" ] && [ -f "$DIR/.ar-desk-cups" ]; then rm -rf "$DIR"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) [ -n "$(running_pid)" ] || die "not running; start it first"; print_env ;;
  *) die "usage: $0 start|stop|env" ;;
esac
