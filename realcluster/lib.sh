# The real control plane as plain processes on 127.0.0.1 (sourced by up.sh, run.sh, ctl.sh and reaper.sh).
#
#   etcd → kube-apiserver (RBAC, TLS with its own CA, static tokens) → kube-controller-manager → kube-scheduler
#   → kwok (fake Nodes; Stages make Pods Running/Ready) → Argo Rollouts CRDs + rollouts-controller
#
# Everything lives in one state directory (certificates, tokens, kubeconfig, etcd data, logs, pids); every process is
# recorded in state/pids and stopped by rc_stop (and by reaper.sh should the launcher die without cleaning up).
# shellcheck shell=bash

RC_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The contexts of the kubeconfig: like the demo's environments, each a namespace of this one control plane.
RC_CONTEXTS=(prod-eu staging dev)
RC_NODES=2
RC_COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok rollouts-controller)

rc_log() { echo "[realcluster $(date +%H:%M:%S)] $*" >&2; }
rc_die() { echo "error: $*" >&2; exit 1; }

# The directory of the built binaries (without building anything).
rc_bin() { echo "$("$RC_HOME/build.sh" --print-dir)/bin"; }
# The build cache of a state dir (beside bin/: kwok-stages, rollouts-manifests).
rc_cache() { dirname "$(readlink -f "$1/bin")"; }

# A TCP port nothing listens on, below the ephemeral range, not handed out before in this state dir.
rc_free_port() {
  local state=$1 port tries=0
  while ((tries++ < 200)); do
    port=$((20000 + RANDOM % 12000))
    grep -qx "$port" "$state/ports" 2>/dev/null && continue
    if ss -Htan 2>/dev/null | awk '{print $4}' | grep -q ":$port\$"; then continue; fi
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    echo "$port" >>"$state/ports"
    echo "$port"
    return 0
  done
  rc_die "no free port on 127.0.0.1 found"
}

# rc_spawn STATE NAME CMD... : starts a process in the background, logs to state/logs/NAME.log, pid in state/pids/NAME.
rc_spawn() {
  local state=$1 name=$2
  shift 2
  printf '%q ' "$@" >"$state/cmd/$name"
  nohup "$@" >>"$state/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$state/pids/$name"
  # out of the job table: rc_kill stops it (bash would report a SIGKILLed job as "Killed" on its own)
  disown $!
}

rc_alive() { # STATE NAME
  local pid
  pid=$(cat "$1/pids/$2" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null
}

# rc_kill STATE NAME : SIGTERM, up to 10 s, then SIGKILL; forgets the pid.
rc_kill() {
  local state=$1 name=$2 pid i
  pid=$(cat "$state/pids/$name" 2>/dev/null) || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      rc_log "$name did not stop on SIGTERM within 10 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  fi
  rm -f "$state/pids/$name"
}

# rc_await WHAT SECONDS STATE NAME CMD... : polls CMD every 0.2 s until it succeeds; fails with the log tail of NAME.
rc_await() {
  local what=$1 seconds=$2 state=$3 name=$4 deadline
  shift 4
  deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [[ -n "$name" ]] && ! rc_alive "$state" "$name"; then
      tail -n 30 "$state/logs/$name.log" >&2
      rc_die "$name exited while waiting for $what (log: $state/logs/$name.log)"
    fi
    if ((SECONDS >= deadline)); then
      [[ -n "$name" ]] && tail -n 30 "$state/logs/$name.log" >&2
      rc_die "timed out after ${seconds}s waiting for $what${name:+ (log: $state/logs/$name.log)}"
    fi
    sleep 0.2
  done
}

rc_kubectl() { # STATE ARGS... : the built kubectl as admin
  local state=$1
  shift
  "$state/bin/kubectl" --kubeconfig "$state/kubeconfig" --context "${RC_CONTEXTS[0]}" "$@"
}

rc_readyz() { # STATE
  curl -fsS --max-time 2 --cacert "$1/pki/ca.crt" -H "Authorization: Bearer $(cat "$1/tokens/admin")" "$(cat "$1/server")/readyz" | grep -qx ok
}

# ---------------------------------------------------------------------------------------------- certificates, tokens

rc_pki() {
  local state=$1 p="$1/pki"
  mkdir -p "$p"
  (
    set -e
    cd "$p"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=shipdeck-realcluster-ca" 2>/dev/null
    cat >apiserver.ext <<'EOF'
subjectAltName = IP:127.0.0.1, IP:10.96.0.1, DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage = serverAuth
keyUsage = critical, digitalSignature, keyEncipherment
EOF
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 2 -extfile apiserver.ext 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    chmod 600 ./*.key
  ) || rc_die "openssl could not make the certificates (is openssl installed?)"
}

# A static token file: admin (system:masters), viewer (bound to the ClusterRole view), and one user per component.
rc_tokens() {
  local state=$1 t="$1/tokens" name
  mkdir -p "$t"
  chmod 700 "$t"
  for name in admin viewer controller-manager scheduler kwok rollouts-controller; do
    openssl rand -hex 24 >"$t/$name"
  done
  chmod 600 "$t"/*
  {
    echo "$(cat "$t/admin"),admin,admin,\"system:masters\""
    echo "$(cat "$t/viewer"),viewer,viewer,\"viewers\""
    echo "$(cat "$t/controller-manager"),system:kube-controller-manager,system:kube-controller-manager,\"\""
    echo "$(cat "$t/scheduler"),system:kube-scheduler,system:kube-scheduler,\"\""
    # kwok plays the kubelet of every fake Node (the Node authorizer is per node): it gets full rights
    echo "$(cat "$t/kwok"),kwok,kwok,\"system:masters\""
    echo "$(cat "$t/rollouts-controller"),argo-rollouts-controller,argo-rollouts-controller,\"\""
  } >"$state/pki/tokens.csv"
  chmod 600 "$state/pki/tokens.csv"
}

# rc_kubeconfig STATE FILE USER : one cluster, the users admin and viewer, one context per environment (namespace).
rc_kubeconfig() {
  local state=$1 file=$2 user=$3 server ca ctx
  server=$(cat "$state/server")
  ca=$(base64 -w0 <"$state/pki/ca.crt")
  {
    echo "apiVersion: v1"
    echo "kind: Config"
    echo "clusters:"
    echo "- name: realcluster"
    echo "  cluster: {server: \"$server\", certificate-authority-data: \"$ca\"}"
    echo "users:"
    for u in admin viewer; do
      echo "- name: $u"
      echo "  user: {token: \"$(cat "$state/tokens/$u")\"}"
    done
    echo "contexts:"
    for ctx in "${RC_CONTEXTS[@]}"; do
      echo "- name: $ctx"
      echo "  context: {cluster: realcluster, user: $user, namespace: $ctx}"
    done
    echo "current-context: ${RC_CONTEXTS[0]}"
  } >"$file"
  chmod 600 "$file"
}

rc_component_kubeconfig() { # STATE NAME
  local state=$1 name=$2
  {
    echo "apiVersion: v1"
    echo "kind: Config"
    echo "clusters: [{name: realcluster, cluster: {server: \"$(cat "$state/server")\", certificate-authority: \"$state/pki/ca.crt\"}}]"
    echo "users: [{name: $name, user: {tokenFile: \"$state/tokens/$name\"}}]"
    echo "contexts: [{name: $name, context: {cluster: realcluster, user: $name}}]"
    echo "current-context: $name"
  } >"$state/kubeconfigs/$name"
  chmod 600 "$state/kubeconfigs/$name"
}

# ---------------------------------------------------------------------------------------------- the components

rc_start_etcd() {
  local state=$1
  rc_spawn "$state" etcd "$state/bin/etcd" --name realcluster --data-dir "$state/etcd" \
    --listen-client-urls "http://127.0.0.1:$(cat "$state/port.etcd")" --advertise-client-urls "http://127.0.0.1:$(cat "$state/port.etcd")" \
    --listen-peer-urls "http://127.0.0.1:$(cat "$state/port.etcd-peer")" --initial-advertise-peer-urls "http://127.0.0.1:$(cat "$state/port.etcd-peer")" \
    --initial-cluster "realcluster=http://127.0.0.1:$(cat "$state/port.etcd-peer")" \
    --unsafe-no-fsync --quota-backend-bytes=2147483648 --log-level=warn
  rc_await "etcd to answer" 60 "$state" etcd curl -fsS --max-time 2 "http://127.0.0.1:$(cat "$state/port.etcd")/health"
}

rc_audit_policy() { # what ServiceAccounts outside kube-system ask for (the tests check an installed agent's RBAC with it)
  cat >"$1/audit-policy.yaml" <<'EOF2'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: None
  userGroups: ["system:serviceaccounts:kube-system"]
- level: Metadata
  userGroups: ["system:serviceaccounts"]
- level: None
EOF2
}

rc_start_apiserver() {
  local state=$1 p="$1/pki"
  [[ -f "$state/audit-policy.yaml" ]] || rc_audit_policy "$state"
  rc_spawn "$state" kube-apiserver "$state/bin/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$(cat "$state/port.etcd")" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$(cat "$state/port.apiserver")" \
    --tls-cert-file "$p/apiserver.crt" --tls-private-key-file "$p/apiserver.key" --client-ca-file "$p/ca.crt" \
    --token-auth-file "$p/tokens.csv" --authorization-mode RBAC --anonymous-auth=false \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$p/sa.pub" --service-account-signing-key-file "$p/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 --endpoint-reconciler-type none --profiling=false \
    --enable-priority-and-fairness=false --v=1 \
    --audit-policy-file "$state/audit-policy.yaml" --audit-log-path "$state/logs/audit.log" --audit-log-format json \
    --audit-log-maxsize 500 --audit-log-maxbackup 1
  rc_await "kube-apiserver /readyz" 120 "$state" kube-apiserver rc_readyz "$state"
}

rc_start_controller_manager() {
  local state=$1
  rc_component_kubeconfig "$state" controller-manager
  rc_spawn "$state" kube-controller-manager "$state/bin/kube-controller-manager" \
    --kubeconfig "$state/kubeconfigs/controller-manager" --secure-port 0 --leader-elect=false \
    --use-service-account-credentials=true --service-account-private-key-file "$state/pki/sa.key" \
    --root-ca-file "$state/pki/ca.crt" --service-cluster-ip-range 10.96.0.0/16 \
    --controllers '*,-nodeipam,-service-lb-controller,-cloud-node-lifecycle-controller,-persistentvolume-binder-controller,-persistentvolume-expander-controller,-persistentvolume-attach-detach-controller' \
    --concurrent-deployment-syncs 10 --concurrent-replicaset-syncs 10 --v=1
}

rc_start_scheduler() {
  local state=$1
  rc_component_kubeconfig "$state" scheduler
  rc_spawn "$state" kube-scheduler "$state/bin/kube-scheduler" \
    --kubeconfig "$state/kubeconfigs/scheduler" --authentication-kubeconfig "$state/kubeconfigs/scheduler" \
    --authorization-kubeconfig "$state/kubeconfigs/scheduler" --secure-port 0 --leader-elect=false --v=1
}

# The kwok Stages: the module's own node Stages and pod-delete/pod-complete, its pod-ready for every Pod that has no
# test.shipdeck.dev/ready label, and ours (realcluster/stages) for the Pods that have one (slow or never Ready).
rc_kwok_config() {
  local state=$1 stages
  stages="$(rc_cache "$state")/kwok-stages"
  [[ -d "$stages" ]] || rc_die "no kwok Stages in $stages (run realcluster/build.sh kwok)"
  {
    for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
      echo "---"
      cat "$stages/$f"
    done
    echo "---"
    # the same pod-ready, minus the Pods our Stages handle (kwok picks at random among Stages that match)
    awk '{print} /^  selector:$/{s=1} s&&/^    matchExpressions:$/{print "    - key: '"'"'.metadata.labels[\"test.shipdeck.dev/ready\"]'"'"'"; print "      operator: '"'"'DoesNotExist'"'"'"; s=0}' \
      "$stages/pod/fast/pod-ready.yaml"
    for f in "$RC_HOME"/stages/*.yaml; do
      echo "---"
      cat "$f"
    done
  } >"$state/kwok.yaml"
  grep -q 'test.shipdeck.dev/ready' "$state/kwok.yaml" || rc_die "could not adapt kwok's pod-ready Stage"
}

rc_start_kwok() {
  local state=$1
  rc_component_kubeconfig "$state" kwok
  rc_kwok_config "$state"
  rc_spawn "$state" kwok "$state/bin/kwok" --kubeconfig "$state/kubeconfigs/kwok" --config "$state/kwok.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --node-lease-duration-seconds=40 --cidr=10.244.0.0/16 --node-ip=10.0.0.1
}

rc_start_rollouts() {
  local state=$1
  rc_component_kubeconfig "$state" rollouts-controller
  rc_spawn "$state" rollouts-controller env POD_NAMESPACE=argo-rollouts "$state/bin/rollouts-controller" \
    --kubeconfig "$state/kubeconfigs/rollouts-controller" --leader-elect=false \
    --healthzPort "$(cat "$state/port.rollouts-healthz")" --metricsport "$(cat "$state/port.rollouts-metrics")" --loglevel warn
  rc_await "rollouts-controller /healthz" 60 "$state" rollouts-controller \
    curl -fsS --max-time 2 "http://127.0.0.1:$(cat "$state/port.rollouts-healthz")/healthz"
}

# Namespaces, the viewer's RBAC, the rollouts controller's ClusterRole, the Argo CRDs and the fake Nodes.
rc_bootstrap() {
  local state=$1 dir ns i
  dir="$(rc_cache "$state")"
  {
    for ns in argo-rollouts "${RC_CONTEXTS[@]}"; do
      printf -- '---\napiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n' "$ns"
    done
    cat <<'EOF'
---
# the read-only user: Kubernetes' own ClusterRole "view", plus (aggregated into it) reading Rollouts and Shipdeck's records
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: shipdeck-realcluster-view-extras
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules:
- apiGroups: [argoproj.io]
  resources: [rollouts, rollouts/status, rollouts/scale, analysisruns, analysistemplates, experiments]
  verbs: [get, list, watch]
- apiGroups: [shipdeck.dev]
  resources: [releases, releasecommands]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: viewer-view}
subjects: [{kind: User, name: viewer, apiGroup: rbac.authorization.k8s.io}]
roleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: argo-rollouts-controller}
subjects: [{kind: User, name: argo-rollouts-controller, apiGroup: rbac.authorization.k8s.io}]
roleRef: {kind: ClusterRole, name: argo-rollouts, apiGroup: rbac.authorization.k8s.io}
EOF
    echo "---"
    cat "$dir/rollouts-manifests/role/argo-rollouts-clusterrole.yaml"
    for ((i = 0; i < RC_NODES; i++)); do
      cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {kubernetes.io/hostname: kwok-node-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok}
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "1000"}
  capacity: {cpu: "32", memory: 256Gi, pods: "1000"}
EOF
    done
  } >"$state/bootstrap.yaml"
  rc_kubectl "$state" apply -f "$state/bootstrap.yaml" >>"$state/logs/bootstrap.log" 2>&1 \
    || { tail -n 20 "$state/logs/bootstrap.log" >&2; rc_die "could not create the namespaces, RBAC and Nodes"; }
  rc_kubectl "$state" apply --server-side -f "$dir/rollouts-manifests/crds/" >>"$state/logs/bootstrap.log" 2>&1 \
    || { tail -n 20 "$state/logs/bootstrap.log" >&2; rc_die "could not install the Argo Rollouts CRDs"; }
  rc_await "the Rollouts CRD to be established" 60 "$state" kube-apiserver rc_crd_established "$state" rollouts.argoproj.io
}

rc_crd_established() { # STATE CRD
  [[ "$(rc_kubectl "$1" get crd "$2" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}')" == True ]]
}

rc_nodes_ready() {
  local state=$1
  [[ "$(rc_kubectl "$state" get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True)" -eq "$RC_NODES" ]]
}

rc_default_service_accounts() {
  local state=$1 ns
  for ns in default "${RC_CONTEXTS[@]}"; do
    rc_kubectl "$state" -n "$ns" get serviceaccount default >/dev/null 2>&1 || return 1
  done
}

# rc_start STATE : everything, in order; the kubeconfig is STATE/kubeconfig (admin) and STATE/viewer.kubeconfig.
rc_start() {
  local state=$1 bin started=$SECONDS b
  bin=$(rc_bin)
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok rollouts-controller kubectl-argo-rollouts; do
    [[ -x "$bin/$b" ]] || rc_die "$b is not built in $bin (run realcluster/build.sh; it needs Go and the Go module proxy)"
  done
  command -v openssl >/dev/null || rc_die "openssl is not installed (the launcher makes its certificates with it)"
  command -v curl >/dev/null || rc_die "curl is not installed (the launcher polls /readyz with it)"
  mkdir -p "$state"/{pids,logs,cmd,kubeconfigs,etcd}
  chmod 700 "$state" "$state/etcd"
  ln -sfn "$bin" "$state/bin"
  echo "$RC_HOME" >"$state/home"
  for p in etcd etcd-peer apiserver rollouts-healthz rollouts-metrics; do rc_free_port "$state" >"$state/port.$p"; done
  echo "https://127.0.0.1:$(cat "$state/port.apiserver")" >"$state/server"
  rc_pki "$state"
  rc_tokens "$state"
  rc_kubeconfig "$state" "$state/kubeconfig" admin
  rc_kubeconfig "$state" "$state/viewer.kubeconfig" viewer
  {
    echo "environments:"
    for ctx in "${RC_CONTEXTS[@]}"; do
      printf '  - {context: %s, name: %s, namespaces: [%s]}\n' "$ctx" "$ctx" "$ctx"
    done
  } >"$state/environments.yaml"

  rc_log "etcd";                    rc_start_etcd "$state"
  rc_log "kube-apiserver";          rc_start_apiserver "$state"
  rc_log "kube-controller-manager"; rc_start_controller_manager "$state"
  rc_log "kube-scheduler";          rc_start_scheduler "$state"
  rc_log "namespaces, RBAC, Argo Rollouts CRDs, $RC_NODES fake Nodes"; rc_bootstrap "$state"
  rc_log "kwok";                    rc_start_kwok "$state"
  rc_await "$RC_NODES Ready Nodes" 90 "$state" kwok rc_nodes_ready "$state"
  rc_await "the default ServiceAccounts" 90 "$state" kube-controller-manager rc_default_service_accounts "$state"
  rc_log "rollouts-controller";     rc_start_rollouts "$state"
  for b in kube-controller-manager kube-scheduler kwok; do
    rc_alive "$state" "$b" || { tail -n 30 "$state/logs/$b.log" >&2; rc_die "$b exited (log: $state/logs/$b.log)"; }
  done
  rc_log "ready in $((SECONDS - started)) s: $(cat "$state/server")"
}

# rc_stop STATE : stops every process this state dir started, the last started first.
rc_stop() {
  local state=$1 i
  [[ -d "$state/pids" ]] || return 0
  rc_kill "$state" command # what run.sh runs against the control plane goes first
  for ((i = ${#RC_COMPONENTS[@]} - 1; i >= 0; i--)); do rc_kill "$state" "${RC_COMPONENTS[$i]}"; done
  for f in "$state"/pids/*; do [[ -e "$f" ]] && rc_kill "$state" "$(basename "$f")"; done
  return 0
}
