#!/usr/bin/env bash
# Builds (or reuses) the real Kubernetes components for the real tier, from the Go module proxy only.
# Binaries land in ${SHIPDECK_REALCLUSTER_CACHE:-~/.cache/shipdeck/realcluster}/<versions>/bin.
# Usage: realcluster/build.sh [component...]   (components: kube etcd kwok rollouts helm k9s; default: all but k9s)
#        realcluster/build.sh --print-dir     the cache directory of these versions
#        realcluster/build.sh --check         exit 0 when everything is built, else 3 with a notice (builds nothing)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
key="kube-${KUBE_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_rollouts-${ROLLOUTS_VERSION}_helm-${HELM_VERSION}"
root="${SHIPDECK_REALCLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipdeck/realcluster}"
dir="$root/$key"
bin="$dir/bin"
if [[ "${1:-}" == "--print-dir" ]]; then echo "$dir"; exit 0; fi
all=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok rollouts-controller kubectl-argo-rollouts helm)
if [[ "${1:-}" == "--check" ]]; then # is everything built? (nothing is built; exit 3 and a notice when not)
  missing=(); for b in "${all[@]}"; do [[ -x "$bin/$b" ]] || missing+=("$b"); done
  [[ -d "$dir/kwok-stages" && -d "$dir/rollouts-manifests" ]] || missing+=(manifests)
  if [[ ${#missing[@]} -eq 0 ]]; then echo "$bin"; exit 0; fi
  echo "notice: the real control plane is not built in $dir (missing: ${missing[*]}); realcluster/build.sh builds it (Go, the module proxy, tens of minutes cold)" >&2
  exit 3
fi
command -v go >/dev/null || { echo "error: Go is not installed (the real tier builds Kubernetes from the Go module proxy; install Go >= 1.24)" >&2; exit 2; }
gover=$(go env GOVERSION); gover=${gover#go}
[[ "$(printf '%s\n' 1.24 "$gover" | sort -V | head -1)" == 1.24 ]] || { echo "error: Go $gover is too old (Kubernetes ${KUBE_VERSION} needs Go >= 1.24)" >&2; exit 2; }
mkdir -p "$bin" "$dir/src"
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local
log() { echo "[realcluster build $(date +%H:%M:%S)] $*" >&2; }
# one build at a time per cache (two Go builds at once only fight for the cores and the module cache)
exec 9>"$dir/.lock"
flock -n 9 || { log "another build holds $dir/.lock: waiting for it"; flock 9; }

have() { for b in "$@"; do [[ -x "$bin/$b" ]] || return 1; done; }
# go_build WRAPPERDIR LDFLAGS OUT PKG... : builds into a temporary directory (OUT: a file name for one package, "" for
# the packages' own names) and moves the binaries into bin/ only when the whole build succeeded, so an interrupted
# build never leaves a half-written binary that a later run would reuse.
go_build() {
  local w=$1 ld=$2 name=$3 out
  shift 3
  out=$(mktemp -d "$dir/out.XXXXXX")
  (cd "$w" && go build -trimpath -ldflags "$ld" -o "$out/$name" "$@") || { rm -rf "$out"; return 1; }
  mv "$out"/* "$bin/"
  rmdir "$out"
}
module_dir() { go mod download -json "$1@$2" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p'; }
module_commit() { go mod download -json "$1@$2" | sed -n 's/.*"Hash": "\([0-9a-f]*\)".*/\1/p' | head -1; }

wrapper() { # name module version  -> creates $dir/src/name with go.mod requiring module@version
  local name=$1 module=$2 version=$3 w="$dir/src/$1"
  mkdir -p "$w"
  printf 'module shipdeck.dev/realcluster/%s\n\ngo 1.24.0\n\nrequire %s %s\n' "$name" "$module" "$version" > "$w/go.mod"
  echo "$w"
}
copy_replaces() { # gomodfile wrapperdir  -> copies replace directives that point at versions (not local paths)
  awk '/^replace \($/{r=1;next} r&&/^\)/{r=0;next} r{print} /^replace [^(]/{sub(/^replace /,"");print}' "$1" \
    | grep -v '=> \.' | grep -v 'FORBIDDEN' | sed 's/^[[:space:]]*/replace /' >> "$2/go.mod" || true
}
modfile() { go mod download -json "$1@$2" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p'; }
tools() { # wrapperdir pkg...
  local w=$1; shift
  { echo '//go:build tools'; echo; echo 'package tools'; echo; echo 'import ('; for p in "$@"; do echo "	_ \"$p\""; done; echo ')'; } > "$w/tools.go"
  (cd "$w" && go mod tidy >/dev/null 2>"$w/tidy.log" || { cat "$w/tidy.log" >&2; return 1; })
}

build_kube() {
  have kube-apiserver kube-controller-manager kube-scheduler kubectl && return 0
  log "kube $KUBE_VERSION (cold: the longest part)"
  local w; w=$(wrapper kube k8s.io/kubernetes "$KUBE_VERSION")
  local minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
  local staging=v0.${KUBE_VERSION#v1.}
  grep -E '^\s*k8s.io/[a-z-]+ => \./staging' "$(modfile k8s.io/kubernetes "$KUBE_VERSION")" \
    | awk -v v="$staging" '{print "replace " $1 " => " $1 " " v}' >> "$w/go.mod"
  tools "$w" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
  local ld="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  go_build "$w" "$ld" "" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
}
build_etcd() {
  have etcd && return 0
  log "etcd $ETCD_VERSION"
  local w; w=$(wrapper etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION")
  local v=$ETCD_VERSION
  for m in api/v3 client/pkg/v3 client/v3 pkg/v3; do echo "require go.etcd.io/etcd/$m $v" >> "$w/go.mod"; done
  tools "$w" go.etcd.io/etcd/server/v3
  go_build "$w" "-s -w" etcd go.etcd.io/etcd/server/v3
}
build_kwok() {
  if [[ ! -d "$dir/kwok-stages" ]]; then # kwok's own Stages (the launcher uses them and adds its own)
    local src; src=$(module_dir sigs.k8s.io/kwok "$KWOK_VERSION")
    cp -r "$src/kustomize/stage" "$dir/kwok-stages.tmp"; chmod -R u+w "$dir/kwok-stages.tmp"; mv "$dir/kwok-stages.tmp" "$dir/kwok-stages"
  fi
  have kwok && return 0
  log "kwok $KWOK_VERSION"
  local w; w=$(wrapper kwok sigs.k8s.io/kwok "$KWOK_VERSION")
  copy_replaces "$(modfile sigs.k8s.io/kwok "$KWOK_VERSION")" "$w"
  tools "$w" sigs.k8s.io/kwok/cmd/kwok
  go_build "$w" "-s -w" "" sigs.k8s.io/kwok/cmd/kwok
}
build_rollouts() {
  if [[ ! -d "$dir/rollouts-manifests" ]]; then # the CRDs and the controller's ClusterRole, for the launcher
    local src; src=$(module_dir github.com/argoproj/argo-rollouts "$ROLLOUTS_VERSION")
    mkdir -p "$dir/rollouts-manifests.tmp"; cp -r "$src/manifests/crds" "$src/manifests/role" "$dir/rollouts-manifests.tmp/"
    rm -f "$dir/rollouts-manifests.tmp/crds/kustomization.yaml"
    chmod -R u+w "$dir/rollouts-manifests.tmp"; mv "$dir/rollouts-manifests.tmp" "$dir/rollouts-manifests"
  fi
  have rollouts-controller kubectl-argo-rollouts && return 0
  log "argo-rollouts $ROLLOUTS_VERSION"
  local w; w=$(wrapper rollouts github.com/argoproj/argo-rollouts "$ROLLOUTS_VERSION")
  copy_replaces "$(modfile github.com/argoproj/argo-rollouts "$ROLLOUTS_VERSION")" "$w"
  tools "$w" github.com/argoproj/argo-rollouts/cmd/rollouts-controller github.com/argoproj/argo-rollouts/cmd/kubectl-argo-rollouts
  # with the release's commit and tag (from the module proxy's origin record), "version" prints the tag itself
  local v=github.com/argoproj/argo-rollouts/utils/version commit; commit=$(module_commit github.com/argoproj/argo-rollouts "$ROLLOUTS_VERSION")
  local ld="-s -w -X $v.version=${ROLLOUTS_VERSION#v} -X $v.gitTag=$ROLLOUTS_VERSION -X $v.gitCommit=${commit:-unknown} -X $v.gitTreeState=clean -X $v.buildDate=1970-01-01T00:00:00Z"
  go_build "$w" "$ld" "" github.com/argoproj/argo-rollouts/cmd/rollouts-controller github.com/argoproj/argo-rollouts/cmd/kubectl-argo-rollouts
}
build_helm() {
  have helm && return 0
  log "helm $HELM_VERSION"
  local w; w=$(wrapper helm helm.sh/helm/v3 "$HELM_VERSION")
  copy_replaces "$(modfile helm.sh/helm/v3 "$HELM_VERSION")" "$w"
  tools "$w" helm.sh/helm/v3/cmd/helm
  go_build "$w" "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" "" helm.sh/helm/v3/cmd/helm
}
build_k9s() { # only for benchmarks; not part of the default set
  have k9s && return 0
  log "k9s $K9S_VERSION"
  local w; w=$(wrapper k9s github.com/derailed/k9s "$K9S_VERSION")
  copy_replaces "$(modfile github.com/derailed/k9s "$K9S_VERSION")" "$w"
  tools "$w" github.com/derailed/k9s
  go_build "$w" "-s -w" "" github.com/derailed/k9s
}

start=$(date +%s)
comps=("$@"); [[ ${#comps[@]} -eq 0 ]] && comps=(kube etcd kwok rollouts helm)
for c in "${comps[@]}"; do
  declare -F "build_$c" >/dev/null || { echo "error: unknown component '$c' (one of: kube etcd kwok rollouts helm k9s)" >&2; exit 2; }
done
for c in "${comps[@]}"; do "build_$c"; done
log "done in $(( $(date +%s) - start )) s: $bin"
