#!/usr/bin/env bash
# Shared by ops/install-manager.sh and ops/install-worker.sh (sourced): installs a systemd unit
# from ops/systemd/, run from this checkout, as the system user `cube`.
#   cube_install_service NAME [FILE...]   e.g. cube-manager /etc/cube/manager.yaml
# FILEs (configs holding secrets) become readable by the group cube only (mode 640).
# Creates the user cube (a system user, no login) owning /var/lib/cube, writes
# /etc/systemd/system/NAME.service with @CUBE_HOME@ replaced by the checkout, and, when systemd
# runs, reloads it and enables and (re)starts the unit. Safe to run twice.

cube_install_service() {
  local name=$1 repo unit file
  shift
  repo=$(readlink -f "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../..")
  unit=/etc/systemd/system/$name.service
  if ! id cube >/dev/null 2>&1; then
    cube_as_root useradd --system --home-dir /var/lib/cube --no-create-home --shell /usr/sbin/nologin cube
    echo "user: cube created"
  fi
  cube_as_root mkdir -p /var/lib/cube
  cube_as_root chown cube:cube /var/lib/cube
  for file in "$@"; do
    cube_as_root chgrp cube "$file"
    cube_as_root chmod 640 "$file"
  done
  sed "s|@CUBE_HOME@|$repo|g" "$repo/ops/systemd/$name.service" | cube_as_root tee "$unit" >/dev/null
  echo "unit: $unit"
  if [[ -d /run/systemd/system ]]; then
    cube_as_root systemctl daemon-reload
    cube_as_root systemctl enable "$name" >/dev/null
    cube_as_root systemctl restart "$name"
    echo "service: $name enabled and started (systemctl status $name; journalctl -u $name -f)"
  else
    echo "service: systemd does not run here; the unit is installed and starts at the next boot under systemd"
  fi
}
