// Command protoschema writes the protobuf schema cluster-sim decodes request bodies with
// (src/main/resources/dev/shipdeck/sim/protobuf.schema): for every kind kubectl's typed clients may send as
// protobuf, the field numbers and types of its messages (the same facts k8s.io/api's generated.proto files are
// generated from, the `protobuf:` struct tags) together with the JSON side of each field (its JSON name, omitempty,
// inline, pointer), so the simulator can turn a protobuf body into the JSON Go's encoding/json would write for the
// same object.
//
//	cd cluster-sim/tools/protoschema && go run . > ../../src/main/resources/dev/shipdeck/sim/protobuf.schema
package main

import (
	"fmt"
	"os"
	"reflect"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The kinds a body may carry: apiVersion, kind and a value of the Go type.
var roots = []struct {
	apiVersion, kind string
	value            any
}{
	{"v1", "Namespace", corev1.Namespace{}},
	{"v1", "ConfigMap", corev1.ConfigMap{}},
	{"v1", "Secret", corev1.Secret{}},
	{"v1", "Service", corev1.Service{}},
	{"v1", "ServiceAccount", corev1.ServiceAccount{}},
	{"v1", "Pod", corev1.Pod{}},
	{"v1", "Event", corev1.Event{}},
	{"apps/v1", "Deployment", appsv1.Deployment{}},
	{"apps/v1", "ReplicaSet", appsv1.ReplicaSet{}},
	{"batch/v1", "Job", batchv1.Job{}},
	{"batch/v1", "CronJob", batchv1.CronJob{}},
	{"autoscaling/v1", "Scale", autoscalingv1.Scale{}},
	{"autoscaling/v2", "HorizontalPodAutoscaler", autoscalingv2.HorizontalPodAutoscaler{}},
	{"coordination.k8s.io/v1", "Lease", coordinationv1.Lease{}},
	{"rbac.authorization.k8s.io/v1", "Role", rbacv1.Role{}},
	{"rbac.authorization.k8s.io/v1", "RoleBinding", rbacv1.RoleBinding{}},
	{"rbac.authorization.k8s.io/v1", "ClusterRole", rbacv1.ClusterRole{}},
	{"rbac.authorization.k8s.io/v1", "ClusterRoleBinding", rbacv1.ClusterRoleBinding{}},
	{"authorization.k8s.io/v1", "SelfSubjectAccessReview", authorizationv1.SelfSubjectAccessReview{}},
	{"authorization.k8s.io/v1", "SelfSubjectRulesReview", authorizationv1.SelfSubjectRulesReview{}},
	{"authentication.k8s.io/v1", "SelfSubjectReview", authenticationv1.SelfSubjectReview{}},
	// typed clients send DeleteOptions in the group-version of the resource; "*" matches any
	{"*", "DeleteOptions", metav1.DeleteOptions{}},
}

// Types with a JSON form of their own (MarshalJSON), decoded specially.
var special = map[string]string{
	"k8s.io/apimachinery/pkg/apis/meta/v1.Time":       "time",
	"k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime":  "microtime",
	"k8s.io/apimachinery/pkg/apis/meta/v1.Duration":   "duration",
	"k8s.io/apimachinery/pkg/apis/meta/v1.FieldsV1":   "fieldsv1",
	"k8s.io/apimachinery/pkg/util/intstr.IntOrString": "intorstring",
	"k8s.io/apimachinery/pkg/api/resource.Quantity":   "quantity",
	"k8s.io/apimachinery/pkg/runtime.RawExtension":    "rawextension",
}

var (
	messages = map[string][]string{}
	order    []string
)

func typeName(t reflect.Type) string {
	return strings.ReplaceAll(t.PkgPath(), "/", ".") + "." + t.Name()
}

func specialOf(t reflect.Type) string {
	return special[t.PkgPath()+"."+t.Name()]
}

// kindOf names a value type: a scalar, a special type, or message:<name> (walked on the way).
func kindOf(t reflect.Type) string {
	if s := specialOf(t); s != "" {
		return s
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int32:
		return "int32"
	case reflect.Int64, reflect.Int:
		return "int64"
	case reflect.Uint32:
		return "uint32"
	case reflect.Uint64:
		return "uint64"
	case reflect.Float64:
		return "double"
	case reflect.Float32:
		return "float"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "bytes"
		}
	case reflect.Struct:
		walk(t)
		return "message:" + typeName(t)
	}
	panic(fmt.Sprintf("unsupported type %v", t))
}

func walk(t reflect.Type) {
	name := typeName(t)
	if _, seen := messages[name]; seen {
		return
	}
	messages[name] = nil
	order = append(order, name)
	var lines []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		pb := f.Tag.Get("protobuf")
		js := f.Tag.Get("json")
		if pb == "" || js == "-" {
			continue // e.g. TypeMeta, which protobuf carries in the envelope
		}
		parts := strings.Split(pb, ",")
		number, err := strconv.Atoi(parts[1])
		if err != nil {
			panic(err)
		}
		jsonParts := strings.Split(js, ",")
		jsonName := jsonParts[0]
		var flags []string
		for _, p := range jsonParts[1:] {
			if p == "omitempty" || p == "inline" {
				flags = append(flags, p)
			}
		}
		if jsonName == "" {
			jsonName = "-"
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			flags = append(flags, "ptr")
			ft = ft.Elem()
		}
		var field string
		switch {
		case specialOf(ft) != "":
			field = "one " + specialOf(ft)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() != reflect.Uint8:
			field = "repeated " + kindOf(deref(ft.Elem()))
		case ft.Kind() == reflect.Map:
			v := ft.Elem()
			value := ""
			if v.Kind() == reflect.Slice && v.Elem().Kind() != reflect.Uint8 {
				value = "list:" + kindOf(deref(v.Elem())) // a named slice, a wrapper message {1: items} in protobuf
			} else {
				value = kindOf(deref(v))
			}
			field = "map " + kindOf(ft.Key()) + " " + value
		default:
			field = "one " + kindOf(ft)
		}
		lines = append(lines, fmt.Sprintf("  %d %s %s%s", number, jsonName, field, flagText(flags)))
	}
	messages[name] = lines
}

func deref(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		return t.Elem()
	}
	return t
}

func flagText(flags []string) string {
	if len(flags) == 0 {
		return ""
	}
	sort.Strings(flags)
	return " " + strings.Join(flags, " ")
}

func main() {
	out := os.Stdout
	fmt.Fprintln(out, "# The protobuf schema of the request bodies cluster-sim decodes. Generated by cluster-sim/tools/protoschema")
	fmt.Fprintln(out, "# from k8s.io/api and k8s.io/apimachinery "+version()+"; do not edit.")
	fmt.Fprintln(out, "#   kind <apiVersion> <Kind> <message>")
	fmt.Fprintln(out, "#   message <name>, then its fields: <number> <json name> one|repeated <type> | map <key> <value> [inline] [omitempty] [ptr]")
	for _, r := range roots {
		t := reflect.TypeOf(r.value)
		walk(t)
		fmt.Fprintf(out, "kind %s %s %s\n", r.apiVersion, r.kind, typeName(t))
	}
	for _, name := range order {
		fmt.Fprintf(out, "message %s\n", name)
		for _, l := range messages[name] {
			fmt.Fprintln(out, l)
		}
	}
}

// version is the k8s.io/api version this was built with (go.mod).
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "k8s.io/api" {
				return d.Version
			}
		}
	}
	return "(unknown version)"
}
