#!/usr/bin/env bash
# Makes the TLS files of a Cube cluster with openssl: one CA, and a certificate per manager
# (used for HTTPS on its API and for mutual TLS between managers over Raft).
#
#   ops/make-certs.sh [--dir DIR] [--days N] NAME [HOST_OR_IP ...]
#
# DIR (default ./cube-tls, or CUBE_TLS_DIR) gets ca.pem and ca.key the first time (kept after
# that: every certificate of a cluster must come from the same CA), then NAME.pem (certificate)
# and NAME.key (PKCS#8 private key, mode 600). The certificate is valid for localhost, 127.0.0.1
# and every HOST_OR_IP given: list each name and address clients and other managers use to
# reach this manager. Point the manager's config at them:
#   tls: {cert: DIR/NAME.pem, key: DIR/NAME.key, ca: DIR/ca.pem}
# and give workers and clients DIR/ca.pem (bin/cube-worker --ca-cert, curl --cacert).
# Keep ca.key offline if you can: whoever holds it can mint certificates the cluster trusts.
set -euo pipefail

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

dir=${CUBE_TLS_DIR:-./cube-tls}
days=825
while [[ $# -gt 0 ]]; do
  case $1 in
    --dir) dir=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "make-certs: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) break ;;
  esac
done
if [[ $# -lt 1 ]]; then
  usage >&2
  exit 2
fi
name=$1
shift
if [[ ! $name =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]]; then
  echo "make-certs: NAME must be letters, digits, '.', '_' or '-', got '$name'" >&2
  exit 2
fi
command -v openssl >/dev/null || { echo "make-certs: openssl is missing (apt-get install -y openssl)" >&2; exit 1; }

mkdir -p "$dir"
umask 077
if [[ ! -f $dir/ca.pem ]]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$dir/ca.key" -sha256 -days "$days" -subj "/CN=Cube cluster CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$dir/ca.pem"
  chmod 644 "$dir/ca.pem"
  echo "make-certs: new CA $dir/ca.pem"
fi

sans="DNS:localhost,IP:127.0.0.1"
for host in "$@"; do
  if [[ $host =~ ^[0-9.]+$ || $host == *:* ]]; then
    sans="$sans,IP:$host"
  else
    sans="$sans,DNS:$host"
  fi
done

ext=$(mktemp)
trap 'rm -f "$ext" "$dir/$name.csr"' EXIT
cat >"$ext" <<CONF
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=$sans
CONF
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$name.key" 2>/dev/null
openssl req -new -key "$dir/$name.key" -subj "/CN=$name" -out "$dir/$name.csr"
openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
  -days "$days" -sha256 -extfile "$ext" -out "$dir/$name.pem" 2>/dev/null
chmod 644 "$dir/$name.pem"
echo "make-certs: $dir/$name.pem and $dir/$name.key for $sans"
