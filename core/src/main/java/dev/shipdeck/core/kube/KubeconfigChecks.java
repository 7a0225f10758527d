package dev.shipdeck.core.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The checks kubectl makes of a context before its first request (see {@link Kubeconfig#checkUsable}). */
final class KubeconfigChecks {
    private static final Set<String> EXEC_API_VERSIONS = Set.of("client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1");

    private KubeconfigChecks() {}

    /**
     * Checks, as kubectl does before its first request, that a context can be used as written: its cluster and user
     * exist, the cluster has a server URL, base64 fields decode, files named exist, a client certificate comes with
     * its key, an exec plugin has a command and a known apiVersion. Throws a {@link KubeconfigException} naming the
     * first problem; it never quotes a secret value.
     */
    static void check(Kubeconfig config, String contextName) {
        Kubeconfig.Context ctx = config.context(contextName);
        Kubeconfig.Entry cluster = config.cluster(ctx);
        if (!ctx.user().isEmpty() && !config.hasUser(ctx.user())) {
            throw new KubeconfigException("context \"" + ctx.name() + "\" names user \"" + ctx.user() + "\", which the kubeconfig does not define",
                    "add the user to users: in the kubeconfig, or fix the context's user");
        }
        String where = "cluster \"" + cluster.name() + "\" (context \"" + ctx.name() + "\")";
        ObjectNode cb = cluster.body();
        String server = cb.path("server").asText("").strip();
        if (server.isEmpty()) {
            throw new KubeconfigException(where + " has no server", "set server: in the cluster's entry, e.g. server: https://203.0.113.10:6443");
        }
        checkServer(Kubeconfig.withScheme(server), where);
        checkBase64(cb, "certificate-authority-data", where, true);
        checkFile(cb, "certificate-authority", where);
        checkCertificates(cb, where);
        Kubeconfig.Entry user = config.user(ctx);
        String whose = "user \"" + user.name() + "\" (context \"" + ctx.name() + "\")";
        ObjectNode ub = user.body();
        checkBase64(ub, "client-certificate-data", whose, true);
        checkBase64(ub, "client-key-data", whose, false);
        checkFile(ub, "client-certificate", whose);
        checkFile(ub, "client-key", whose);
        checkFile(ub, "tokenFile", whose);
        boolean cert = has(ub, "client-certificate-data") || has(ub, "client-certificate");
        boolean key = has(ub, "client-key-data") || has(ub, "client-key");
        if (cert != key) {
            throw new KubeconfigException(whose + " has a client " + (cert ? "certificate but no key" : "key but no certificate"),
                    "set both client-certificate(-data) and client-key(-data), or neither");
        }
        JsonNode exec = ub.path("exec");
        if (!exec.isMissingNode() && !exec.isNull()) {
            if (!exec.isObject()) throw new KubeconfigException("the exec: of " + whose + " must be a map", "fix the user's exec section");
            if (exec.path("command").asText("").isBlank()) {
                throw new KubeconfigException("the exec credential plugin of " + whose + " has no command", "set exec.command to the plugin, e.g. aws");
            }
            String api = exec.path("apiVersion").asText("");
            if (!EXEC_API_VERSIONS.contains(api)) {
                throw new KubeconfigException("the exec credential plugin of " + whose + " has "
                        + (api.isEmpty() ? "no apiVersion" : "apiVersion \"" + api + "\", which is not supported"),
                        "use client.authentication.k8s.io/v1 (or v1beta1), as the plugin's documentation says");
            }
        }
    }

    /** The CA must hold X.509 certificates a TLS client can trust (kubectl: "unable to load root certificates"). */
    private static void checkCertificates(ObjectNode cb, String where) {
        byte[] pem;
        String data = cb.path("certificate-authority-data").asText("");
        String file = cb.path("certificate-authority").asText("");
        try {
            if (!data.isEmpty()) pem = java.util.Base64.getDecoder().decode(data.replaceAll("[\\r\\n]", ""));
            else if (!file.isEmpty()) pem = Files.readAllBytes(Path.of(file));
            else return;
        } catch (IOException | IllegalArgumentException e) {
            return; // reported by the checks before
        }
        boolean ok;
        try {
            ok = !java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(new java.io.ByteArrayInputStream(pem)).isEmpty();
        } catch (java.security.cert.CertificateException e) {
            ok = false;
        }
        if (!ok) {
            throw new KubeconfigException("cannot use the certificate-authority(-data) of " + where + ": it holds no readable certificate",
                    "use the cluster's CA certificate as a PEM file (-----BEGIN CERTIFICATE-----)");
        }
    }

    private static boolean has(ObjectNode body, String field) {
        return !body.path(field).asText("").isBlank();
    }

    private static void checkServer(String server, String where) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(server);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri == null || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new KubeconfigException("the server of " + where + ", \"" + server + "\", is not a URL like https://host:6443",
                    "fix server: in the cluster's entry");
        }
        if (uri.getPort() > 65535) {
            throw new KubeconfigException("the server of " + where + ", \"" + server + "\", has port " + uri.getPort() + ", above 65535",
                    "fix server: in the cluster's entry");
        }
    }

    /** Like kubectl: the field must be standard base64; certificates must then be PEM. Never quotes the value. */
    private static void checkBase64(ObjectNode body, String field, String where, boolean certificate) {
        String v = body.path(field).asText("");
        if (v.isEmpty()) return;
        String compact = v.replaceAll("[\\r\\n]", ""); // like Go's decoder: line breaks are skipped, nothing else
        byte[] decoded;
        try {
            decoded = java.util.Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new KubeconfigException(field + " of " + where + " is not valid base64: illegal base64 data at input byte " + badByte(compact),
                    "paste the base64 of the PEM file (base64 -w0 FILE), or name the file with " + field.replace("-data", "") + ": instead");
        }
        String text = new String(decoded, java.nio.charset.StandardCharsets.ISO_8859_1);
        String pem = certificate ? "-----BEGIN CERTIFICATE-----" : "PRIVATE KEY-----";
        if (!text.contains(pem)) {
            throw new KubeconfigException(field + " of " + where + " is base64, but not of a PEM " + (certificate ? "certificate" : "private key"),
                    "encode the PEM file itself (base64 -w0 FILE)");
        }
    }

    /** The offset of the first character that cannot be in standard base64 (or the length, when padding is wrong). */
    private static int badByte(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=';
            if (!ok) return i;
            if (c == '=' && i < s.length() - 2) return i;
        }
        return s.length() - s.length() % 4;
    }

    private static void checkFile(ObjectNode body, String field, String where) {
        String v = body.path(field).asText("");
        if (v.isEmpty()) return;
        Path f = Path.of(v);
        if (!Files.exists(f)) {
            throw new KubeconfigException(field + " " + f + " of " + where + " does not exist", "fix the path in the kubeconfig, or create the file");
        }
        if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
            throw new KubeconfigException(field + " " + f + " of " + where + " cannot be read" + (Files.isDirectory(f) ? " (it is a directory)" : ""),
                    "point it at a readable file");
        }
    }
}
